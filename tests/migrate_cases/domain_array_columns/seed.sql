INSERT INTO films VALUES (1, '{1950,1999}'), (2, '{}');
