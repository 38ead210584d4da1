// The TypeScript side of tests/test_drizzle_roundtrip.py's self-junction test:
// users follow users through user_follows (both keys reach users), and
// Drizzle's relational queries follow the relationName pairs both ways.
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import * as schema from "./schema.js";
import { friendships, userFollows, users } from "./schema.js";

const pool = new pg.Pool(); // PGHOST, PGPORT, PGUSER, PGDATABASE
const db = drizzle(pool, { schema });

const [ann, bob, cy] = await db
  .insert(users)
  .values([{ name: "ann" }, { name: "bob" }, { name: "cy" }])
  .returning();
await db.insert(userFollows).values([
  { follower_id: ann.id, followee_id: bob.id },
  { follower_id: ann.id, followee_id: cy.id },
  { follower_id: bob.id, followee_id: cy.id },
]);
await db.insert(friendships).values({ user_id: ann.id, friend_id: bob.id });

// Per user: whom they follow (rows where they are the follower, then the
// followee) and who follows them (the reverse), and their friends both ways.
const found = await db.query.users.findMany({
  orderBy: (u, { asc }) => [asc(u.id)],
  with: {
    follower_user_follows: { with: { followee: true } },
    followee_user_follows: { with: { follower: true } },
    user_friendships: { with: { friend: true } },
    friend_friendships: { with: { user: true } },
  },
});
const names = (list: { name: string }[]): string[] => list.map((u) => u.name).sort();
const out = found.map((u) => ({
  name: u.name,
  followees: names(u.follower_user_follows.map((f) => f.followee)),
  followers: names(u.followee_user_follows.map((f) => f.follower)),
  friends: names(u.user_friendships.map((f) => f.friend)),
  friend_of: names(u.friend_friendships.map((f) => f.user)),
}));
console.log(JSON.stringify(out));
await pool.end();
