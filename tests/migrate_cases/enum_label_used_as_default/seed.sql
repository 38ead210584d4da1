INSERT INTO tasks (id, status) VALUES (1, 'active'), (2, 'done');
