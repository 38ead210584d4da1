INSERT INTO films (id) VALUES (3);
INSERT INTO films VALUES (4, 1890), (5, 2200);
DO $$ BEGIN
  ASSERT (SELECT string_agg(id || ':' || coalesce(release_year::text, '-'), ',' ORDER BY id) FROM films)
    = '1:1950,2:-,3:2000,4:1890,5:2200';
END $$;
DO $$ BEGIN
  INSERT INTO films VALUES (6, 1800);
  RAISE EXCEPTION 'the new check let 1800 in';
EXCEPTION WHEN check_violation THEN NULL;
END $$;
