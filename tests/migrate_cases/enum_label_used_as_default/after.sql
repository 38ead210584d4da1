INSERT INTO tasks (id) VALUES (3);
DO $$ BEGIN
  ASSERT (SELECT string_agg(id || ':' || status, ',' ORDER BY id) FROM tasks) = '1:active,2:done,3:paused';
END $$;
