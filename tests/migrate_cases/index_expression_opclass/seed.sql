INSERT INTO people VALUES (1, 'Ada'), (2, 'Grace');
