--
-- PostgreSQL database dump
--

\restrict qCsduLAFmT0rWof3bmnAYSIilYj6HFGuRqKOOcJGOxGOm9ai6wfc3EvChXFbKax

-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: app; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA app;


ALTER SCHEMA app OWNER TO postgres;

--
-- Name: pgcrypto; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA public;


--
-- Name: EXTENSION pgcrypto; Type: COMMENT; Schema: -; Owner: 
--

COMMENT ON EXTENSION pgcrypto IS 'cryptographic functions';


--
-- Name: postgres_fdw; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS postgres_fdw WITH SCHEMA public;


--
-- Name: EXTENSION postgres_fdw; Type: COMMENT; Schema: -; Owner: 
--

COMMENT ON EXTENSION postgres_fdw IS 'foreign-data wrapper for remote PostgreSQL servers';


--
-- Name: status; Type: TYPE; Schema: app; Owner: postgres
--

CREATE TYPE app.status AS ENUM (
    'new',
    'it''s done'
);


ALTER TYPE app.status OWNER TO postgres;

--
-- Name: mood; Type: TYPE; Schema: public; Owner: postgres
--

CREATE TYPE public.mood AS ENUM (
    'sad',
    'ok',
    'happy'
);


ALTER TYPE public.mood OWNER TO postgres;

--
-- Name: positive_int; Type: DOMAIN; Schema: public; Owner: postgres
--

CREATE DOMAIN public.positive_int AS integer
	CONSTRAINT positive_int_check CHECK ((VALUE > 0));


ALTER DOMAIN public.positive_int OWNER TO postgres;

--
-- Name: add(integer, integer); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.add(a integer, b integer DEFAULT 1) RETURNS integer
    LANGUAGE sql IMMUTABLE
    AS $$SELECT a + b$$;


ALTER FUNCTION app.add(a integer, b integer) OWNER TO postgres;

--
-- Name: do_thing(text); Type: PROCEDURE; Schema: app; Owner: postgres
--

CREATE PROCEDURE app.do_thing(IN p text)
    LANGUAGE plpgsql
    AS $$ BEGIN RAISE NOTICE '%', p; END $$;


ALTER PROCEDURE app.do_thing(IN p text) OWNER TO postgres;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: users; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.users (
    id integer NOT NULL,
    email character varying(255) NOT NULL,
    name text,
    code character(3),
    flag "char",
    age smallint DEFAULT 0,
    big bigint,
    score double precision DEFAULT 1.5,
    ratio real,
    price numeric(10,2),
    amount numeric,
    active boolean DEFAULT true NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp(3) without time zone DEFAULT CURRENT_TIMESTAMP,
    t3 time without time zone,
    t4 time with time zone,
    t5 time(2) with time zone,
    dur interval,
    dur2 interval day to second(2),
    bits bit(8),
    vbits bit varying(16),
    vbits2 bit varying,
    tags text[] DEFAULT '{}'::text[],
    matrix integer[],
    feeling public.mood DEFAULT 'ok'::public.mood,
    st app.status,
    data jsonb DEFAULT '{}'::jsonb,
    uid uuid DEFAULT gen_random_uuid(),
    ip inet,
    mac macaddr,
    nick character varying DEFAULT 'x'::character varying,
    total integer GENERATED ALWAYS AS ((age * 2)) STORED,
    pos public.positive_int,
    bytes bytea,
    CONSTRAINT users_age_check CHECK (((age >= 0) AND (age < 200))),
    CONSTRAINT users_price_check CHECK ((price > (0)::numeric))
);


ALTER TABLE public.users OWNER TO postgres;

--
-- Name: TABLE users; Type: COMMENT; Schema: public; Owner: postgres
--

COMMENT ON TABLE public.users IS 'People who log in';


--
-- Name: COLUMN users.email; Type: COMMENT; Schema: public; Owner: postgres
--

COMMENT ON COLUMN public.users.email IS 'it''s the login';


--
-- Name: active_users(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.active_users() RETURNS SETOF public.users
    LANGUAGE sql
    AS $$ SELECT * FROM users WHERE active $$;


ALTER FUNCTION public.active_users() OWNER TO postgres;

--
-- Name: pairs(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.pairs(OUT x integer, OUT y text) RETURNS SETOF record
    LANGUAGE sql
    AS $$ SELECT 1, 'a' $$;


ALTER FUNCTION public.pairs(OUT x integer, OUT y text) OWNER TO postgres;

--
-- Name: set_updated_at(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.set_updated_at() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN NEW.updated_at = now(); RETURN NEW; END; $$;


ALTER FUNCTION public.set_updated_at() OWNER TO postgres;

--
-- Name: tab(integer); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.tab(n integer) RETURNS TABLE(x integer, y character varying)
    LANGUAGE sql
    AS $$ SELECT n, 'a'::varchar $$;


ALTER FUNCTION public.tab(n integer) OWNER TO postgres;

--
-- Name: vfn(integer, integer[]); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.vfn(INOUT z integer, VARIADIC arr integer[]) RETURNS integer
    LANGUAGE sql
    AS $$ SELECT 1 $$;


ALTER FUNCTION public.vfn(INOUT z integer, VARIADIC arr integer[]) OWNER TO postgres;

--
-- Name: fsrv; Type: SERVER; Schema: -; Owner: postgres
--

CREATE SERVER fsrv FOREIGN DATA WRAPPER postgres_fdw;


ALTER SERVER fsrv OWNER TO postgres;

--
-- Name: orders; Type: TABLE; Schema: app; Owner: postgres
--

CREATE TABLE app.orders (
    id bigint NOT NULL,
    user_id integer NOT NULL,
    parent_id bigint,
    ref text,
    ref2 integer,
    note text COLLATE pg_catalog."C"
);


ALTER TABLE app.orders OWNER TO postgres;

--
-- Name: order_counts; Type: MATERIALIZED VIEW; Schema: app; Owner: postgres
--

CREATE MATERIALIZED VIEW app.order_counts AS
 SELECT orders.user_id,
    count(*) AS n
   FROM app.orders
  GROUP BY orders.user_id
  WITH NO DATA;


ALTER TABLE app.order_counts OWNER TO postgres;

--
-- Name: orders_id_seq; Type: SEQUENCE; Schema: app; Owner: postgres
--

ALTER TABLE app.orders ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME app.orders_id_seq
    START WITH 10
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: Weird Name; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public."Weird Name" (
    "Mixed Col" integer,
    "select" text
);


ALTER TABLE public."Weird Name" OWNER TO postgres;

--
-- Name: active; Type: VIEW; Schema: public; Owner: postgres
--

CREATE VIEW public.active AS
 SELECT users.id,
    users.email
   FROM public.users
  WHERE users.active
  ORDER BY users.id;


ALTER TABLE public.active OWNER TO postgres;

--
-- Name: VIEW active; Type: COMMENT; Schema: public; Owner: postgres
--

COMMENT ON VIEW public.active IS 'active users';


--
-- Name: alembic_version; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.alembic_version (
    version_num character varying(32) NOT NULL
);


ALTER TABLE public.alembic_version OWNER TO postgres;

--
-- Name: cache; Type: TABLE; Schema: public; Owner: postgres
--

CREATE UNLOGGED TABLE public.cache (
    k text NOT NULL,
    v text
);


ALTER TABLE public.cache OWNER TO postgres;

--
-- Name: free_seq; Type: SEQUENCE; Schema: public; Owner: postgres
--

CREATE SEQUENCE public.free_seq
    START WITH 100
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE public.free_seq OWNER TO postgres;

--
-- Name: items; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.items (
    n integer NOT NULL,
    label text
);


ALTER TABLE public.items OWNER TO postgres;

--
-- Name: items_n_seq; Type: SEQUENCE; Schema: public; Owner: postgres
--

ALTER TABLE public.items ALTER COLUMN n ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.items_n_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: measurements; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.measurements (
    id integer,
    logdate date NOT NULL,
    v integer
)
PARTITION BY RANGE (logdate);


ALTER TABLE public.measurements OWNER TO postgres;

--
-- Name: measurements_2024; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.measurements_2024 (
    id integer,
    logdate date NOT NULL,
    v integer
);


ALTER TABLE public.measurements_2024 OWNER TO postgres;

--
-- Name: notes; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.notes (
    id integer NOT NULL,
    user_id integer,
    body text NOT NULL,
    CONSTRAINT notes_body_check CHECK ((length(body) < 1000))
);


ALTER TABLE public.notes OWNER TO postgres;

--
-- Name: remote_things; Type: FOREIGN TABLE; Schema: public; Owner: postgres
--

CREATE FOREIGN TABLE public.remote_things (
    id integer NOT NULL,
    label text
)
SERVER fsrv;


ALTER FOREIGN TABLE public.remote_things OWNER TO postgres;

--
-- Name: users_id_seq; Type: SEQUENCE; Schema: public; Owner: postgres
--

CREATE SEQUENCE public.users_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE public.users_id_seq OWNER TO postgres;

--
-- Name: users_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: postgres
--

ALTER SEQUENCE public.users_id_seq OWNED BY public.users.id;


--
-- Name: measurements_2024; Type: TABLE ATTACH; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.measurements ATTACH PARTITION public.measurements_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');


--
-- Name: users id; Type: DEFAULT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.users ALTER COLUMN id SET DEFAULT nextval('public.users_id_seq'::regclass);


--
-- Name: orders orders_pkey; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.orders
    ADD CONSTRAINT orders_pkey PRIMARY KEY (id);


--
-- Name: orders orders_ref_key; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.orders
    ADD CONSTRAINT orders_ref_key UNIQUE (ref, ref2);


--
-- Name: alembic_version alembic_version_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.alembic_version
    ADD CONSTRAINT alembic_version_pkey PRIMARY KEY (version_num);


--
-- Name: cache cache_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.cache
    ADD CONSTRAINT cache_pkey PRIMARY KEY (k);


--
-- Name: items items_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.items
    ADD CONSTRAINT items_pkey PRIMARY KEY (n);


--
-- Name: notes notes_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.notes
    ADD CONSTRAINT notes_pkey PRIMARY KEY (id);


--
-- Name: users users_code_excl; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_code_excl EXCLUDE USING btree (code WITH =);


--
-- Name: users users_email_key; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_email_key UNIQUE (email);


--
-- Name: users users_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (id);


--
-- Name: orders_user_id_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX orders_user_id_idx ON app.orders USING btree (user_id DESC NULLS LAST);


--
-- Name: users_data_gin; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX users_data_gin ON public.users USING gin (data);


--
-- Name: users_expr_name_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX users_expr_name_idx ON public.users USING btree (((age + 1)), name text_pattern_ops);


--
-- Name: users_lower_email_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX users_lower_email_idx ON public.users USING btree (lower((email)::text));


--
-- Name: users_name_active_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE UNIQUE INDEX users_name_active_idx ON public.users USING btree (name) INCLUDE (email) WHERE (active AND (name <> ''::text));


--
-- Name: users users_audit; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER users_audit AFTER INSERT OR DELETE OR UPDATE OF name ON public.users FOR EACH STATEMENT EXECUTE FUNCTION public.set_updated_at();


--
-- Name: users users_updated; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER users_updated BEFORE UPDATE ON public.users FOR EACH ROW WHEN ((old.name IS DISTINCT FROM new.name)) EXECUTE FUNCTION public.set_updated_at();


--
-- Name: orders orders_parent_fk; Type: FK CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.orders
    ADD CONSTRAINT orders_parent_fk FOREIGN KEY (parent_id) REFERENCES app.orders(id) ON UPDATE SET NULL DEFERRABLE INITIALLY DEFERRED;


--
-- Name: orders orders_user_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.orders
    ADD CONSTRAINT orders_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;


--
-- Name: notes fk_user; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.notes
    ADD CONSTRAINT fk_user FOREIGN KEY (user_id) REFERENCES public.users(id) ON UPDATE RESTRICT ON DELETE SET DEFAULT;


--
-- PostgreSQL database dump complete
--

\unrestrict qCsduLAFmT0rWof3bmnAYSIilYj6HFGuRqKOOcJGOxGOm9ai6wfc3EvChXFbKax

