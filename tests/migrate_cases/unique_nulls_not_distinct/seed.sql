INSERT INTO memberships VALUES (1, 1, 'a', 'x@example.com'), (2, 1, NULL, NULL), (3, 2, NULL, NULL);
