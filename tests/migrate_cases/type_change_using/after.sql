DO $$ BEGIN
  ASSERT (SELECT string_agg(price::text || 'x' || qty, ',' ORDER BY id) FROM items) = '1.50x3,20.00x2147483647';
END $$;
