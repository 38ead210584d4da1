DO $$ BEGIN
  ASSERT (SELECT string_agg(handle, ',' ORDER BY id) FROM users) = 'ada,grace';
END $$;
