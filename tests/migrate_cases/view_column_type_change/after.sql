DO $$ BEGIN
  ASSERT (SELECT count(*) FROM big_assets) = 1;
  ASSERT (SELECT total FROM size_total) = 550;
END $$;
