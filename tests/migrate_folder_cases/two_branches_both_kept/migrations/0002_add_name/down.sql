ALTER TABLE users DROP name;
