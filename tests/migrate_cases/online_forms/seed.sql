INSERT INTO users VALUES (1, 'ada@example.com');
INSERT INTO posts VALUES (1, 1);
