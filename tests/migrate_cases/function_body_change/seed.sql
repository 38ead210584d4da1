INSERT INTO notes (id, title) VALUES (1, 'Hello');
