DO $$ BEGIN
  ASSERT (SELECT count(*) FROM memberships) = 3;
END $$;
DO $$ BEGIN
  INSERT INTO memberships VALUES (4, 1, NULL, 'y@example.com');
  RAISE EXCEPTION 'NULLS NOT DISTINCT let a second NULL reference in';
EXCEPTION WHEN unique_violation THEN NULL;
END $$;
