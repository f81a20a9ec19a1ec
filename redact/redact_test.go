package redact

import (
	"bufio"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// shared is built once per test binary: New compiles ~220 regular
// expressions.
var shared = sync.OnceValues(func() (*Redactor, error) { return New() })

func redactor(t testing.TB) *Redactor {
	t.Helper()
	r, err := shared()
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return r
}

// secretCases are realistic incident lines holding secrets, with the output
// expected. {name} stands for a fake secret (fake_test.go).
var secretCases = []struct {
	name, in, want string
}{
	// Environment and shell.
	{"pgpassword export", "export PGPASSWORD=hunter2", "export PGPASSWORD=[REDACTED:password]"},
	{"pgpassword inline", "PGPASSWORD=hunter2 psql -h db-primary.internal -U app orders", "PGPASSWORD=[REDACTED:password] psql -h db-primary.internal -U app orders"},
	{"mysql_pwd", "MYSQL_PWD=s3cret mysqldump orders > /tmp/orders.sql", "MYSQL_PWD=[REDACTED:password] mysqldump orders > /tmp/orders.sql"},
	{"two in one line", "PGPASSWORD=a1b2 MYSQL_PWD=c3d4 ./migrate.sh", "PGPASSWORD=[REDACTED:password] MYSQL_PWD=[REDACTED:password] ./migrate.sh"},
	{"export secret", "export SECRET=changeme", "export SECRET=[REDACTED:secret]"},
	{"api key env", "API_KEY={hex32} ./run-smoke-tests.sh", "API_KEY=[REDACTED:api-key] ./run-smoke-tests.sh"},
	{"quoted with space", `export DB_PASSWORD="correct horse battery"`, `export DB_PASSWORD="[REDACTED:password]"`},
	{"fish set", "set -gx DB_PASSWORD hunter2", "set -gx DB_PASSWORD [REDACTED:password]"},
	{"compose default", "POSTGRES_PASSWORD=${POSTGRES_PASSWORD:-postgres}", "POSTGRES_PASSWORD=${POSTGRES_PASSWORD:-[REDACTED:password]}"},
	{"client secret in query", "POST /oauth/token?grant_type=client_credentials&client_id=checkout&client_secret=9f8e7d6c5b4a HTTP/1.1",
		"POST /oauth/token?grant_type=client_credentials&client_id=checkout&client_secret=[REDACTED:secret] HTTP/1.1"},

	// Flags and commands.
	{"password flag equals", "pg_dump --host db --username app --password=hunter2 orders", "pg_dump --host db --username app --password=[REDACTED:password] orders"},
	{"password flag spaced", "mongodump --username admin --password hunter2 --authenticationDatabase admin", "mongodump --username admin --password [REDACTED:password] --authenticationDatabase admin"},
	{"wget user password", "wget --user=deploy --password=hunter2 https://artifacts.internal/build.tgz", "wget --user=deploy --password=[REDACTED:password] https://artifacts.internal/build.tgz"},
	{"mysql -p glued", "mysql -h 10.0.4.12 -u root -phunter2 orders", "mysql -h 10.0.4.12 -u root -p[REDACTED:password] orders"},
	{"mysql -p quoted", "mysql -uroot -p'c0rrect horse' -e 'show processlist'", "mysql -uroot -p'[REDACTED:password]' -e 'show processlist'"},
	{"curl -u", "curl -u admin:hunter2 https://jenkins.internal/api/json", "curl -u admin:[REDACTED:password] https://jenkins.internal/api/json"},
	{"sshpass", "sshpass -p 'hunter2' ssh deploy@bastion-prod-1", "sshpass -p '[REDACTED:password]' ssh deploy@bastion-prod-1"},
	{"redis-cli -a", "redis-cli -h cache-1.internal -a hunter2 info memory", "redis-cli -h cache-1.internal -a [REDACTED:password] info memory"},
	{"docker login -p", "docker login -u deploy -p hunter2 registry.internal", "docker login -u deploy -p [REDACTED:password] registry.internal"},
	{"kubectl from-literal", "kubectl create secret generic db-creds --from-literal=password=hunter2 -n payments", "kubectl create secret generic db-creds --from-literal=password=[REDACTED:password] -n payments"},
	{"vault kv put", "vault kv put secret/payments/db password=hunter2 username=app", "vault kv put secret/payments/db password=[REDACTED:password] username=app"},
	{"aws configure set", "aws configure set aws_secret_access_key {awssecret}", "aws configure set aws_secret_access_key [REDACTED:aws-secret-access-key]"},

	// Config and structured logs.
	{"yaml password", "password: hunter2", "password: [REDACTED:password]"},
	{"json password", `{"user": "app", "password": "correct horse battery staple"}`, `{"user": "app", "password": "[REDACTED:password]"}`},
	{"json access token", `{"access_token":"ya29.a0AfH6SMBx3kL9","expires_in":3599}`, `{"access_token":"[REDACTED:token]","expires_in":3599}`},
	{"ado connection string", "Server=tcp:sql.internal,1433;Database=orders;User Id=app;Password=hunter2;", "Server=tcp:sql.internal,1433;Database=orders;User Id=app;Password=[REDACTED:password];"},
	{"ado connection string, mid", "Password=hunter2;Timeout=30", "Password=[REDACTED:password];Timeout=30"},
	// Punctuation a shell would stop at is part of a password said in chat.
	{"chat password with &", "password: Ab&cd!234", "password: [REDACTED:password]"},
	{"chat password with ; and (", "password: Ab;cd(234 thanks", "password: [REDACTED:password] thanks"},
	{"chat password with ) and |", "the password is pw=Ab)cd|234", "the password is pw=[REDACTED:password]"},
	{"chat password with < and >", "password=Sup3r&S3cret<pw", "password=[REDACTED:password]"},
	{"chat password with a quote inside", "password: Ab'cd`234 ok", "password: [REDACTED:password] ok"},
	{"shell: ; ends the value", "PGPASSWORD=s3cr3t; psql -h db", "PGPASSWORD=[REDACTED:password]; psql -h db"},
	{"shell: && ends the value", "PGPASSWORD=s3cr3t&&psql -h db", "PGPASSWORD=[REDACTED:password]&&psql -h db"},
	{"url query: & before the next key", "https://x.example/login?password=abc123&user=bob", "https://x.example/login?password=[REDACTED:password]&user=bob"},
	{"quoted in a command", `echo "PGPASSWORD=s3cr3t" | psql`, `echo "PGPASSWORD=[REDACTED:password]" | psql`},
	{"ldapsearch -w", "ldapsearch -x -D cn=admin,dc=corp -w S3cretPw -b dc=corp", "ldapsearch -x -D cn=admin,dc=corp -w [REDACTED:password] -b dc=corp"},
	{"ldapmodify -w glued", "ldapmodify -D cn=admin -wS3cretPw -f x.ldif", "ldapmodify -D cn=admin -w[REDACTED:password] -f x.ldif"},
	{"smbclient -U user%pass", "smbclient //fs/share -U admin%S3cretPw", "smbclient //fs/share -U admin%[REDACTED:password]"},
	{"az login -p", "az login -u ops@corp.example -p S3cretPw", "az login -u ops@corp.example -p [REDACTED:password]"},
	{"cf login -p", "cf login -a api.cf.example -u ops -p S3cretPw", "cf login -a api.cf.example -u ops -p [REDACTED:password]"},
	{"rabbitmqctl add_user", "rabbitmqctl add_user admin S3cretPw", "rabbitmqctl add_user admin [REDACTED:password]"},
	{"rabbitmqctl change_password", "sudo rabbitmqctl change_password app S3cretPw && echo ok", "sudo rabbitmqctl change_password app [REDACTED:password] && echo ok"},
	{"htpasswd -b", "htpasswd -bc /etc/nginx/.htpasswd ops S3cretPw", "htpasswd -bc /etc/nginx/.htpasswd ops [REDACTED:password]"},
	{"xml password", "<user>app</user><password>hunter2</password>", "<user>app</user><password>[REDACTED:password]</password>"},
	{"aws credentials file", "aws_secret_access_key = {awssecret}", "aws_secret_access_key = [REDACTED:aws-secret-access-key]"},
	{"aws docs example secret", "export AWS_SECRET_ACCESS_KEY={awsexample}", "export AWS_SECRET_ACCESS_KEY=[REDACTED:aws-secret-access-key]"},
	{"aws csv row", "checkout-ci,{akia},{awssecret}", "checkout-ci,[REDACTED:aws-access-key-id],[REDACTED:aws-secret-access-key]"},
	{"escaped json in log", `msg="{\"password\":\"hunter2\"}"`, `msg="{\"password\":\"[REDACTED:password]\"}"`},

	// URLs with userinfo.
	{"postgres url", `psql "postgres://app:hunter2@db-primary.internal:5432/orders?sslmode=require"`, `psql "postgres://app:[REDACTED:connection-string]@db-primary.internal:5432/orders?sslmode=require"`},
	{"mysql url", "DATABASE_URL=mysql://reporting:Tr0ub4dor&3@10.0.4.12:3306/reports", "DATABASE_URL=mysql://reporting:[REDACTED:connection-string]@10.0.4.12:3306/reports"},
	{"redis url no user", "redis-cli -u redis://:hunter2@cache-1.internal:6379 ping", "redis-cli -u redis://:[REDACTED:connection-string]@cache-1.internal:6379 ping"},
	{"amqp url", "AMQP_URL=amqp://guest:guest@rabbitmq.internal:5672/", "AMQP_URL=amqp://guest:[REDACTED:connection-string]@rabbitmq.internal:5672/"},
	{"mongodb srv", "mongodb+srv://admin:Zx9qL2pW@cluster0.abcde.mongodb.net/test", "mongodb+srv://admin:[REDACTED:connection-string]@cluster0.abcde.mongodb.net/test"},
	{"https user token", "git clone https://deploy:{ghp}@github.com/debriefhq/debrief.git", "git clone https://deploy:[REDACTED:connection-string]@github.com/debriefhq/debrief.git"},
	{"https token as user", "git remote set-url origin https://{ghp}@github.com/debriefhq/debrief.git", "git remote set-url origin https://[REDACTED:connection-string]@github.com/debriefhq/debrief.git"},
	{"go mysql dsn", "DSN=app:hunter2@tcp(db:3306)/orders?parseTime=true", "DSN=app:[REDACTED:connection-string]@tcp(db:3306)/orders?parseTime=true"},

	// Headers.
	{"curl bearer", `curl -H "Authorization: Bearer {jwt}" https://api.internal/v1/orders`, `curl -H "Authorization: Bearer [REDACTED:bearer-token]" https://api.internal/v1/orders`},
	{"bearer low entropy", "authorization: Bearer abc", "authorization: Bearer [REDACTED:bearer-token]"},
	{"basic auth", "Authorization: Basic {b64auth}", "Authorization: Basic [REDACTED:basic-auth]"},
	{"github token scheme", `curl -H 'Authorization: token {ghp}' https://api.github.com/user`, `curl -H 'Authorization: token [REDACTED:authorization]' https://api.github.com/user`},
	{"bare bearer in log", "upstream rejected Bearer 5f2b8c9d0e1a4b7c with 401", "upstream rejected Bearer [REDACTED:bearer-token] with 401"},
	{"api key header", "x-api-key: 3f5e9b2a7c1d4e6f8a0b", "x-api-key: [REDACTED:api-key]"},
	{"vault token header", "X-Vault-Token: {vault}", "X-Vault-Token: [REDACTED:vault-token]"},
	{"cookie header", "Cookie: session=8f14e45fceea167a5a36dedd4bea2543; theme=dark", "Cookie: [REDACTED:cookie]"},

	// Tokens by shape.
	{"github pat in env", "export GITHUB_TOKEN={ghp}", "export GITHUB_TOKEN=[REDACTED:github-token]"},
	{"github fine-grained", "GH_TOKEN={github_pat} gh pr list", "GH_TOKEN=[REDACTED:github-token] gh pr list"},
	{"github token in chat", "oops, pasted {ghs} in the wrong channel", "oops, pasted [REDACTED:github-token] in the wrong channel"},
	{"slack bot token", "slack bot token is {xoxb}, rotate it", "slack bot token is [REDACTED:slack-token], rotate it"},
	{"slack user token", "SLACK_USER_TOKEN={xoxp}", "SLACK_USER_TOKEN=[REDACTED:slack-token]"},
	{"aws key id", "the leaked key was {akia}, already deactivated", "the leaked key was [REDACTED:aws-access-key-id], already deactivated"},
	{"aws docs key id", "aws_access_key_id = AKIAIOSFODNN7EXAMPLE", "aws_access_key_id = [REDACTED:aws-access-key-id]"},
	{"jwt in log", `level=info msg="login ok" session={jwt}`, `level=info msg="login ok" session=[REDACTED:jwt]`},
	{"stripe", "STRIPE_SECRET_KEY={stripe}", "STRIPE_SECRET_KEY=[REDACTED:stripe-key]"},
	{"google api key", "https://maps.googleapis.com/maps/api/geocode/json?address=Berlin&key={google}", "https://maps.googleapis.com/maps/api/geocode/json?address=Berlin&key=[REDACTED:google-api-key]"},
	{"gitlab", "token: {glpat}", "token: [REDACTED:gitlab-token]"},
	{"npm", "//registry.npmjs.org/:_authToken={npm}", "//registry.npmjs.org/:_authToken=[REDACTED:npm-token]"},
	{"openai", "OPENAI_API_KEY={openai}", "OPENAI_API_KEY=[REDACTED:openai-api-key]"},
	{"sendgrid", "mail is down, key {sendgrid} was revoked", "mail is down, key [REDACTED:sendgrid-api-token] was revoked"},

	// Private keys.
	{"pem block", "here's the deploy key:\n{rsa}\nthanks", "here's the deploy key:\n[REDACTED:private-key]\nthanks"},
	{"pem in json", `{"type":"service_account","private_key":"{pkcs8escaped}","client_email":"ci@proj.iam.gserviceaccount.com"}`,
		`{"type":"service_account","private_key":"[REDACTED:private-key]","client_email":"ci@proj.iam.gserviceaccount.com"}`},
	{"pem truncated", "{opensshcut}", "[REDACTED:private-key]"},

	// gitleaks' rules for what ours do not know.
	{"slack webhook", "posting to {slackhook} failed", "posting to [REDACTED:slack-webhook-url] failed"},
	{"generic high entropy", "upload_auth = {generic}", "upload_auth = [REDACTED:generic-api-key]"},
}

// cleanCases are realistic lines with no secret: each must come back
// unchanged. testdata/clean.txt adds a larger mix.
var cleanCases = []string{
	"commit 3f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39 broke checkout",
	"sha: 9b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c",
	"request_id=8f14e45f-ceea-467f-a9a0-3b1c2d4e5f60 status=502",
	"x-request-id: 2b7e1516-28ae-d2a6-abf7-15880928cf4f",
	"trace_id=4bf92f3577b34da6a3ce929d0e0e4736 span_id=00f067aa0ba902b7",
	"pod/checkout-7d9f8b6c4-x2x9z   0/1   CrashLoopBackOff   12   40m",
	"image: registry.internal/checkout@sha256:4f1c2b3a9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a",
	"https://grafana.example.com/d/abc123/checkout?orgId=1&from=now-1h&to=now",
	"see https://github.com/debriefhq/debrief/pull/482 for the fix",
	"password reset emails are failing for some users",
	"the token bucket limiter is rejecting 30% of requests",
	"mysql -h 10.0.4.12 -u reporting --password-file=/etc/mysql/reporting.pw",
	"kubectl get secret db-creds -n payments -o yaml",
	"kubectl get secret db-creds -o jsonpath='{.data.password}' | base64 -d",
	"vault kv get -field=password secret/payments/db",
	"export PASSWORD_FILE=/run/secrets/db_password",
	"PGPASSWORD=$DB_PASS psql -h db-primary.internal -U app",
	`curl -H "Authorization: Bearer $TOKEN" https://api.internal/v1/orders`,
	"password: ********",
	`{"password": null, "user": "app"}`,
	"password: {{ .Values.db.password }}",
	"token_type: bearer",
	`{"model":"gpt-4o","max_tokens":1024}`,
	"secretName: db-creds",
	"ssh -p 2222 deploy@bastion-prod-1",
	"psql -p 5432 -h db-primary.internal -U app orders",
	"docker run -p 8080:80 nginx:1.25",
	"journalctl -u nginx --since '10 min ago'",
	"mysql -u root -p orders",
	"curl -u admin https://jenkins.internal/api/json",
	"git clone ssh://git@github.com/debriefhq/debrief.git",
	"git@github.com:debriefhq/debrief.git",
	"the bearer token expired at 14:00",
	"Authorization header missing on /v1/charges",
	"disk-pressure on ip-10-0-3-17, ask the on-call",
	"they said the key insight is the pool size",
	"echo $PGPASSWORD | wc -c",
	"the api key rotation job ran at 14:00",
	"rotate the Stripe webhook secret tomorrow",
	"-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJ\n-----END CERTIFICATE-----",
	"-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----",
	"Set-Cookie header was missing after the deploy",
	"grep -rn password config/",
	"password=",
	"aws s3 ls s3://incident-artifacts/2024-03-12/ --profile prod",
	"aws sts get-caller-identity",
	`level=warn status=401 msg="invalid token" path=/v1/cart`,
	"helm upgrade checkout charts/checkout --set image.tag=v2.41.3",
	"tokens starting with ghp_ are classic PATs",
	"PASSWORD_MIN_LENGTH=12",
	"password_reset_sent: true",
	"TOKEN_TTL=3600",
	"use the --password flag instead",
	"the access log format changed at 14:00",
	"SELECT id FROM users WHERE password_hash IS NULL;",
	"kubectl -n payments rollout restart deployment/checkout",
	"passing the token: see the vault entry",
}

func TestRedactSecrets(t *testing.T) {
	r := redactor(t)
	for _, tc := range secretCases {
		t.Run(tc.name, func(t *testing.T) {
			in, want := expand(tc.in), expand(tc.want)
			got, n := r.Redact(in)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Redact(%q) mismatch (-want +got):\n%s", in, diff)
			}
			if wantN := strings.Count(want, markerPrefix); n != wantN {
				t.Errorf("Redact(%q) n = %d, want %d", in, n, wantN)
			}
		})
	}
}

func TestRedactKeepsCleanText(t *testing.T) {
	r := redactor(t)
	lines := append(cleanCases, cleanCorpus(t)...)
	for _, in := range lines {
		got, n := r.Redact(in)
		if n != 0 || got != in {
			t.Errorf("Redact(%q) = %q, %d; want it unchanged", in, got, n)
		}
	}
}

func TestCaseCounts(t *testing.T) {
	if len(secretCases) < 40 || len(cleanCases) < 40 {
		t.Errorf("have %d secret and %d clean cases, want at least 40 of each", len(secretCases), len(cleanCases))
	}
}

// cleanCorpus reads testdata/clean.txt: one event text a line, "# " lines
// and blank lines skipped.
func cleanCorpus(t testing.TB) []string {
	t.Helper()
	f, err := os.Open("testdata/clean.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := sc.Text(); l != "" && !strings.HasPrefix(l, "# ") {
			lines = append(lines, l)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return lines
}

// hasTokenRunByByte is hasTokenRun looking at every byte.
func hasTokenRunByByte(s string, n int) bool {
	run := 0
	for i := 0; i < len(s); i++ {
		if !tokenRunBytes[s[i]] {
			run = 0
		} else if run++; run >= n {
			return true
		}
	}
	return n <= 0
}

func TestHasTokenRun(t *testing.T) {
	for _, s := range []string{
		"", "abc", "0123456789abcdef", "0123456789abcde", " 0123456789abcdef", "0123456789abcdef ",
		"the deploy of ghp_0123456789abcdefghij failed", "see https://wiki.acme.internal/runbooks/inventory#crashloop",
		"a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q", "xxxxxxxxxxxxxxx.xxxxxxxxxxxxxxx", "xxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxx",
	} {
		for _, n := range []int{1, 2, 5, 15, 16, 17} {
			if got, want := hasTokenRun(s, n), hasTokenRunByByte(s, n); got != want {
				t.Errorf("hasTokenRun(%q, %d) = %v, want %v", s, n, got, want)
			}
		}
	}
}

func FuzzHasTokenRun(f *testing.F) {
	f.Add("abc def0123456789abcdef", uint8(16))
	f.Add("................a", uint8(1))
	f.Fuzz(func(t *testing.T, s string, n uint8) {
		if got, want := hasTokenRun(s, int(n)), hasTokenRunByByte(s, int(n)); got != want {
			t.Errorf("hasTokenRun(%q, %d) = %v, want %v", s, n, got, want)
		}
	})
}
