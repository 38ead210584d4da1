-- A DVD rental shop in the style of pg_dump output (sequences created apart
-- and attached with OWNED BY), with a second schema, a domain, an enum, a
-- reference cycle, two junction tables, a partitioned table, a trigger on
-- several tables, a view and a materialized view, row level security, and
-- a column type the spec does not have.
CREATE SCHEMA rental;
CREATE TYPE mpaa_rating AS ENUM ('G', 'PG', 'PG-13', 'R', 'NC-17');
CREATE DOMAIN year AS integer CONSTRAINT year_check CHECK (VALUE >= 1901 AND VALUE <= 2155);

CREATE SEQUENCE actor_actor_id_seq;
CREATE TABLE actor (
    actor_id integer DEFAULT nextval('actor_actor_id_seq'::regclass) NOT NULL,
    first_name text NOT NULL,
    last_name text NOT NULL,
    last_update timestamptz DEFAULT now() NOT NULL,
    CONSTRAINT actor_pkey PRIMARY KEY (actor_id)
);
ALTER SEQUENCE actor_actor_id_seq OWNED BY actor.actor_id;
CREATE INDEX idx_actor_last_name ON actor USING btree (last_name);

CREATE TABLE language (
    language_id smallserial PRIMARY KEY,
    name varchar(20) NOT NULL,
    last_update timestamptz DEFAULT now() NOT NULL
);

CREATE TABLE category (
    category_id serial PRIMARY KEY,
    name text NOT NULL,
    last_update timestamptz DEFAULT now() NOT NULL
);

CREATE TABLE film (
    film_id serial PRIMARY KEY,
    title text NOT NULL CHECK (length(title) > 0),
    description text,
    release_year year,
    language_id smallint NOT NULL REFERENCES language ON UPDATE CASCADE ON DELETE RESTRICT,
    original_language_id smallint REFERENCES language,
    rental_duration smallint DEFAULT 3 NOT NULL,
    rental_rate numeric(4, 2) DEFAULT 4.99 NOT NULL,
    length smallint,
    replacement_cost numeric(5, 2) DEFAULT 19.99 NOT NULL,
    rating mpaa_rating DEFAULT 'G',
    last_update timestamptz DEFAULT now() NOT NULL,
    special_features text[]
);
CREATE INDEX idx_title ON film (title);
CREATE INDEX film_features_idx ON film USING gin (special_features);

CREATE TABLE film_search (
    film_id integer PRIMARY KEY REFERENCES film ON DELETE CASCADE,
    document tsvector NOT NULL
);

CREATE TABLE film_actor (
    actor_id integer NOT NULL REFERENCES actor ON UPDATE CASCADE ON DELETE RESTRICT,
    film_id integer NOT NULL REFERENCES film ON UPDATE CASCADE ON DELETE RESTRICT,
    last_update timestamptz DEFAULT now() NOT NULL,
    PRIMARY KEY (actor_id, film_id)
);

CREATE TABLE film_category (
    film_id integer NOT NULL REFERENCES film,
    category_id integer NOT NULL REFERENCES category,
    PRIMARY KEY (film_id, category_id)
);

CREATE TABLE rental.store (
    store_id serial PRIMARY KEY,
    manager_staff_id integer NOT NULL UNIQUE,
    address text NOT NULL
);

CREATE TABLE rental.staff (
    staff_id serial PRIMARY KEY,
    first_name text NOT NULL,
    last_name text NOT NULL,
    store_id integer NOT NULL REFERENCES rental.store,
    active boolean DEFAULT true NOT NULL,
    username varchar(16) NOT NULL,
    password varchar(40),
    picture bytea,
    CONSTRAINT staff_username_chk CHECK (username <> '')
);
ALTER TABLE rental.store ADD CONSTRAINT store_manager_fk
    FOREIGN KEY (manager_staff_id) REFERENCES rental.staff (staff_id) DEFERRABLE;

CREATE TABLE inventory (
    inventory_id serial PRIMARY KEY,
    film_id integer NOT NULL REFERENCES film,
    store_id integer NOT NULL REFERENCES rental.store,
    last_update timestamptz DEFAULT now() NOT NULL
);

CREATE TABLE customer (
    customer_id serial PRIMARY KEY,
    store_id integer NOT NULL REFERENCES rental.store,
    first_name text NOT NULL,
    last_name text NOT NULL,
    email text,
    activebool boolean DEFAULT true NOT NULL,
    create_date date DEFAULT CURRENT_DATE NOT NULL,
    active integer
);
CREATE INDEX customer_active_last_name ON customer (last_name) WHERE active = 1;
ALTER TABLE customer ENABLE ROW LEVEL SECURITY;
CREATE POLICY customer_own_store ON customer USING (store_id = 1);

CREATE TABLE rental.rental (
    rental_id serial PRIMARY KEY,
    rental_date timestamptz NOT NULL,
    inventory_id integer NOT NULL REFERENCES inventory,
    customer_id integer NOT NULL REFERENCES customer,
    return_date timestamptz,
    staff_id integer NOT NULL REFERENCES rental.staff,
    UNIQUE (rental_date, inventory_id, customer_id)
);

CREATE TABLE payment (
    payment_id integer NOT NULL,
    customer_id integer NOT NULL,
    amount numeric(5, 2) NOT NULL,
    payment_date timestamptz NOT NULL,
    PRIMARY KEY (payment_date, payment_id)
) PARTITION BY RANGE (payment_date);
CREATE TABLE payment_2024 PARTITION OF payment
    FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');

CREATE FUNCTION last_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.last_update = CURRENT_TIMESTAMP;
    RETURN NEW;
END
$$;
CREATE TRIGGER last_updated BEFORE UPDATE ON actor FOR EACH ROW EXECUTE FUNCTION last_updated();
CREATE TRIGGER last_updated BEFORE UPDATE ON film FOR EACH ROW EXECUTE FUNCTION last_updated();

CREATE VIEW film_list AS
    SELECT film.film_id AS fid, film.title, category.name AS category
    FROM category
    JOIN film_category ON category.category_id = film_category.category_id
    JOIN film ON film_category.film_id = film.film_id;
CREATE MATERIALIZED VIEW rental_by_category AS
    SELECT c.name AS category, count(*) AS rentals
    FROM rental.rental r
    JOIN inventory i ON r.inventory_id = i.inventory_id
    JOIN film_category fc ON i.film_id = fc.film_id
    JOIN category c ON fc.category_id = c.category_id
    GROUP BY c.name;
