// The TypeScript side of tests/test_drizzle_roundtrip.py: insert rows through
// Drizzle with the generated insert types, read them back with the select types
// (and through the generated relations), and print them as JSON for Pydantic.
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import * as schema from "./schema.js";
import {
  customers,
  profiles,
  tickets,
  type Customer,
  type InsertCustomer,
  type InsertProfile,
  type InsertTicket,
  type Profile,
  type Ticket,
} from "./schema.js";

const pool = new pg.Pool(); // PGHOST, PGPORT, PGUSER, PGDATABASE
const db = drizzle(pool, { schema });

const newCustomer: InsertCustomer = { email: "ada@example.com", credit: "12.50" };
const [customer]: Customer[] = await db.insert(customers).values(newCustomer).returning();
const newProfile: InsertProfile = { customerId: customer.id, displayName: null };
const [profile]: Profile[] = await db.insert(profiles).values(newProfile).returning();
const full: InsertTicket = {
  customerId: customer.id,
  state: "on hold",
  title: "Printer on fire",
  estimateHours: "1.5",
  dueAt: new Date("2026-01-02T03:04:05.678Z"),
  labels: ["hardware", "urgent"],
  data: { floor: 3, tags: ["a"], note: null },
};
const bare: InsertTicket = { customerId: customer.id, title: "Defaults only" };
const inserted: Ticket[] = await db.insert(tickets).values([full, bare]).returning();
const withRelations = await db.query.customers.findFirst({
  with: { profile: true, tickets: { orderBy: (t, { asc }) => [asc(t.id)] } },
});
if (withRelations?.tickets.length !== 2 || withRelations.profile?.customerId !== customer.id) {
  throw new Error("relations did not load");
}
console.log(JSON.stringify({ customer, profile, tickets: inserted }));
await pool.end();
