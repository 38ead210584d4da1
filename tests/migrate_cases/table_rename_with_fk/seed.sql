INSERT INTO users VALUES (1, 'a@example.com'), (2, 'b@example.com');
INSERT INTO orders VALUES (10, 1), (11, 2);
