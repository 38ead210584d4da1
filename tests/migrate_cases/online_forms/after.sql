DO $$ BEGIN
  ASSERT (SELECT count(*) FROM users JOIN posts ON posts.author = users.id) = 1;
END $$;
