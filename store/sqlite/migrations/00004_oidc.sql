-- +goose Up
-- oidc_subject is "issuer subject" of the user's single sign-on identity,
-- set the first time they sign in with OIDC.
ALTER TABLE users ADD COLUMN oidc_subject TEXT;
CREATE UNIQUE INDEX users_by_subject ON users (oidc_subject) WHERE oidc_subject IS NOT NULL;
CREATE INDEX users_by_email ON users (lower(email));

-- +goose Down
DROP INDEX users_by_email;
DROP INDEX users_by_subject;
ALTER TABLE users DROP COLUMN oidc_subject;
