INSERT INTO app.people DEFAULT VALUES;
DO $$ BEGIN
  ASSERT (SELECT string_agg(id || ':' || num, ',' ORDER BY id) FROM app.people) = '1:1,2:2,3:3';
END $$;
