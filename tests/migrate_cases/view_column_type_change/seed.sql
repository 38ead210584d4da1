INSERT INTO assets (id, size) VALUES (1, 50), (2, 500);
