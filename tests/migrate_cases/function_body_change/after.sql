DO $$ BEGIN
  INSERT INTO notes (id, title) VALUES (2, 'World');
  ASSERT (SELECT search FROM notes WHERE id = 2) = 'WORLD';
  ASSERT (SELECT search FROM notes WHERE id = 1) = 'hello';
END $$;
