DO $$ BEGIN
  ASSERT (SELECT count(*) FROM bookings) = 3;
  INSERT INTO bookings VALUES (4, 7, '[2026-01-01 11:30Z, 2026-01-01 11:45Z)', false);
  RAISE EXCEPTION 'an overlapping booking got in';
EXCEPTION WHEN exclusion_violation THEN NULL;
END $$;
