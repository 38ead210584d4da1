DO $$ BEGIN
  ASSERT (SELECT string_agg(id || ':' || release_years::text, ',' ORDER BY id) FROM films)
    = '1:{1950,1999},2:{}';
END $$;
DO $$ BEGIN
  INSERT INTO films VALUES (3, '{1800}');
  RAISE EXCEPTION 'the domain let 1800 into an array of years';
EXCEPTION WHEN check_violation THEN NULL;
END $$;
