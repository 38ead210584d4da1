DO $$ BEGIN
  -- the counter survived the rename and the new minimum: 1000 and 1001 were taken
  ASSERT (SELECT string_agg(id::text, ',' ORDER BY id) FROM orders) = '1000,1001';
  INSERT INTO invoices DEFAULT VALUES;
  INSERT INTO invoices DEFAULT VALUES;
  ASSERT (SELECT string_agg(number || ':' || tag, ',' ORDER BY number) FROM invoices)
    = '1002:1,1003:2';
END $$;
