INSERT INTO notes VALUES (1, 'short', 'happy', 'ada'), (2, 'tiny', 'sad', 'grace');
