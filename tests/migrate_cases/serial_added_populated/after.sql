INSERT INTO tickets (id) VALUES ('00000000-0000-0000-0000-000000000003');
DO $$ BEGIN
  ASSERT (SELECT string_agg(legacy_no || ':' || ticket_no, ',' ORDER BY id) FROM tickets) = '40:1,41:2,42:3';
END $$;
