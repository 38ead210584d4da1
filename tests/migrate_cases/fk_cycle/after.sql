UPDATE people SET team_id = 1;
UPDATE teams SET captain_id = 7;
