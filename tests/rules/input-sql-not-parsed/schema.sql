--
-- PostgreSQL database dump
--

-- Dumped from database version 15.8 (Debian 15.8-0+deb12u1)
-- Dumped by pg_dump version 15.8 (Debian 15.8-0+deb12u1)

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

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: orders; Type: TABLE; Schema: public; Owner: app
--

CREATE TABLE public.orders (
    id integer NOT NULL,
    payload jsonb
);


ALTER TABLE public.orders OWNER TO app;

--
-- Name: orders_id_seq; Type: SEQUENCE; Schema: public; Owner: app
--

CREATE SEQUENCE public.orders_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE public.orders_id_seq OWNER TO app;

--
-- Name: orders_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: app
--

ALTER SEQUENCE public.orders_id_seq OWNED BY public.orders.id;

--
-- Name: order_items; Type: VIEW; Schema: public; Owner: app
--

CREATE VIEW public.order_items AS
 SELECT o.id AS order_id,
    jt.sku,
    jt.quantity
   FROM public.orders o,
    LATERAL JSON_TABLE(o.payload, '$."items"[*]' COLUMNS (sku text PATH '$."sku"', quantity integer PATH '$."quantity"')) jt;


ALTER TABLE public.order_items OWNER TO app;

--
-- Name: order_totals; Type: VIEW; Schema: public; Owner: app
--

CREATE VIEW public.order_totals AS
 SELECT orders.id,
    (orders.payload ->> 'total'::text) AS total
   FROM public.orders;


ALTER TABLE public.order_totals OWNER TO app;

--
-- Name: orders id; Type: DEFAULT; Schema: public; Owner: app
--

ALTER TABLE ONLY public.orders ALTER COLUMN id SET DEFAULT nextval('public.orders_id_seq'::regclass);

--
-- Name: orders orders_pkey; Type: CONSTRAINT; Schema: public; Owner: app
--

ALTER TABLE ONLY public.orders
    ADD CONSTRAINT orders_pkey PRIMARY KEY (id);

--
-- PostgreSQL database dump complete
--

