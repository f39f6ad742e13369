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
-- Name: events; Type: TABLE; Schema: public; Owner: app
--

CREATE TABLE public.events (
    id integer NOT NULL,
    user_id integer,
    email character varying(255),
    created_at timestamp with time zone
);


ALTER TABLE public.events OWNER TO app;

--
-- Name: events_id_seq; Type: SEQUENCE; Schema: public; Owner: app
--

CREATE SEQUENCE public.events_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE public.events_id_seq OWNER TO app;

--
-- Name: events_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: app
--

ALTER SEQUENCE public.events_id_seq OWNED BY public.events.id;

--
-- Name: events id; Type: DEFAULT; Schema: public; Owner: app
--

ALTER TABLE ONLY public.events ALTER COLUMN id SET DEFAULT nextval('public.events_id_seq'::regclass);

--
-- Name: events events_pkey; Type: CONSTRAINT; Schema: public; Owner: app
--

ALTER TABLE ONLY public.events
    ADD CONSTRAINT events_pkey PRIMARY KEY (id);

--
-- Name: events_created_at_idx; Type: INDEX; Schema: public; Owner: app
--

CREATE INDEX events_created_at_idx ON public.events USING btree (created_at);

--
-- Name: events_lower_email_idx; Type: INDEX; Schema: public; Owner: app
--

CREATE INDEX events_lower_email_idx ON public.events USING btree (lower((email)::text));

--
-- Name: ix_events_user_id; Type: INDEX; Schema: public; Owner: app
--

CREATE INDEX ix_events_user_id ON public.events USING btree (user_id);

--
-- PostgreSQL database dump complete
--

