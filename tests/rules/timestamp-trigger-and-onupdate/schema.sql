--
-- PostgreSQL database dump (pg_dump --schema-only --no-owner --no-privileges of the fixture database)
--

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
-- Name: log_changes(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.log_changes() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  CASE TG_OP
    WHEN 'UPDATE' THEN
      NEW.modified_at := now();
    ELSE
      NULL;
  END CASE;
  RETURN NEW;
END;
$$;

--
-- Name: mark_reviewed(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.mark_reviewed() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  NEW.reviewed := true;
  RETURN NEW;
END;
$$;

--
-- Name: touch(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.touch() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: customers; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.customers (
    id integer NOT NULL,
    updated_at timestamp with time zone DEFAULT now()
);

--
-- Name: invoices; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.invoices (
    id integer NOT NULL,
    updated_at timestamp with time zone DEFAULT now()
);

--
-- Name: orders; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.orders (
    id integer NOT NULL,
    updated_at timestamp with time zone DEFAULT now()
);

--
-- Name: payments; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.payments (
    id integer NOT NULL,
    reviewed boolean,
    updated_at timestamp with time zone DEFAULT now()
);

--
-- Name: shipments; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.shipments (
    id integer NOT NULL,
    state text,
    modified_at timestamp with time zone DEFAULT now()
);

--
-- Name: customers customers_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.customers
    ADD CONSTRAINT customers_pkey PRIMARY KEY (id);

--
-- Name: invoices invoices_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.invoices
    ADD CONSTRAINT invoices_pkey PRIMARY KEY (id);

--
-- Name: orders orders_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.orders
    ADD CONSTRAINT orders_pkey PRIMARY KEY (id);

--
-- Name: payments payments_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.payments
    ADD CONSTRAINT payments_pkey PRIMARY KEY (id);

--
-- Name: shipments shipments_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.shipments
    ADD CONSTRAINT shipments_pkey PRIMARY KEY (id);

--
-- Name: customers customers_touch; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER customers_touch BEFORE UPDATE ON public.customers FOR EACH ROW EXECUTE FUNCTION public.touch();

--
-- Name: invoices invoices_touch; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER invoices_touch AFTER UPDATE ON public.invoices FOR EACH ROW EXECUTE FUNCTION public.touch();

--
-- Name: orders orders_touch; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER orders_touch BEFORE UPDATE ON public.orders FOR EACH ROW EXECUTE FUNCTION public.touch();

--
-- Name: payments payments_review; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER payments_review BEFORE UPDATE ON public.payments FOR EACH ROW EXECUTE FUNCTION public.mark_reviewed();

--
-- Name: shipments shipments_log; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER shipments_log BEFORE INSERT OR UPDATE ON public.shipments FOR EACH ROW EXECUTE FUNCTION public.log_changes();

--
-- PostgreSQL database dump complete
--

