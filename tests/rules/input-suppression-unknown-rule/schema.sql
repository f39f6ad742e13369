CREATE TABLE public.users (
    id integer NOT NULL,
    email character varying(255) NOT NULL,
    name character varying(50) NOT NULL,
    note text,
    bio text,
    age integer,
    city text,
    CONSTRAINT users_pkey PRIMARY KEY (id)
);
