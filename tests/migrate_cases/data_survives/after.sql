INSERT INTO archive.notes VALUES (3, repeat('x', 50), 'meh', 'linus');
DO $$ BEGIN
  ASSERT (SELECT string_agg(id || body || mood || author, ',' ORDER BY id) FROM archive.notes)
    = '1shorthappyada,2tinysadgrace,3' || repeat('x', 50) || 'mehlinus';
END $$;
