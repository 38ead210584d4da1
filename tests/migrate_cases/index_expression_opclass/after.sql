DO $$ BEGIN
  ASSERT (SELECT string_agg(name, ',' ORDER BY id) FROM people) = 'Ada,Grace';
END $$;
