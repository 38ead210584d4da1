DO $$ BEGIN
  ASSERT (SELECT string_agg(o.id || ':' || a.email, ',' ORDER BY o.id)
          FROM orders o JOIN accounts a ON a.id = o.account_id) = '10:a@example.com,11:b@example.com';
  BEGIN
    INSERT INTO orders VALUES (12, 99);
    RAISE EXCEPTION 'the foreign key did not hold';
  EXCEPTION WHEN foreign_key_violation THEN NULL;
  END;
END $$;
