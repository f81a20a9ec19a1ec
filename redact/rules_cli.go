package redact

import "strings"

// cliPasswordRule redacts passwords given to commands as short flags, which
// mean "password" only for particular commands: "-p" is a port for psql, ssh
// and docker run, and "-u" a unit for journalctl. So each entry names the
// command, and the flag is looked for only in that command's arguments (up to
// the end of the line or a pipe, ";" or "&").
//
//   - curl/wget -u user:pass, --user user:pass: only the part after the
//     colon; "-u user" alone makes curl prompt and has nothing to hide.
//   - mysql, mysqldump, mysqladmin, mariadb -pPASS: only glued, since
//     "mysql -p dbname" prompts and names a database.
//   - sshpass -p PASS, redis-cli -a PASS, mongo/mongosh -p PASS,
//     docker/podman/helm/oras/skopeo/az/cf … login -p PASS.
//   - ldapsearch/ldapmodify/ldapadd/ldapdelete/ldapwhoami/ldappasswd -w PASS.
//   - smbclient/rpcclient -U user%PASS: only the part after the percent.
//   - Passwords as arguments: rabbitmqctl add_user USER PASS (and
//     change_password), htpasswd -b FILE USER PASS.
type cliPasswordRule struct{}

type cliFlag struct {
	flag  string
	glued bool // the value may follow the flag without a space
	split bool // the value may be separate
	colon bool // the secret is the part after the first colon
	sep   byte // like colon, with another separator ('%' for smbclient)
	login bool // only after a "login" subcommand
}

// cliPositional finds a password given as a plain argument: the nth word
// (flags not counted) after the word that starts counting.
type cliPositional struct {
	starts func(arg string) bool
	nth    int
}

var cliCommands = []struct {
	cmd   string
	flags []cliFlag
	pos   []cliPositional
}{
	{"curl", []cliFlag{{flag: "-u", glued: true, split: true, colon: true}, {flag: "--user", split: true, colon: true}, {flag: "--user=", glued: true, colon: true}, {flag: "--proxy-user", split: true, colon: true}}, nil},
	{"wget", []cliFlag{{flag: "--user", split: true, colon: true}}, nil},
	{"mysql", []cliFlag{{flag: "-p", glued: true}}, nil},
	{"mariadb", []cliFlag{{flag: "-p", glued: true}}, nil},
	{"sshpass", []cliFlag{{flag: "-p", glued: true, split: true}}, nil},
	{"redis-cli", []cliFlag{{flag: "-a", split: true}}, nil},
	{"mongo", []cliFlag{{flag: "-p", split: true}}, nil},
	{"docker", []cliFlag{{flag: "-p", split: true, login: true}}, nil},
	{"podman", []cliFlag{{flag: "-p", split: true, login: true}}, nil},
	{"helm", []cliFlag{{flag: "-p", split: true, login: true}}, nil},
	{"skopeo", []cliFlag{{flag: "-p", split: true, login: true}}, nil},
	{"oras", []cliFlag{{flag: "-p", split: true, login: true}}, nil},
	{"az", []cliFlag{{flag: "-p", split: true, login: true}, {flag: "--password", split: true, login: true}, {flag: "--password=", glued: true, login: true}}, nil},
	{"cf", []cliFlag{{flag: "-p", split: true, login: true}}, nil},
	{"ldapsearch", ldapFlags, nil},
	{"ldapmodify", ldapFlags, nil},
	{"ldapadd", ldapFlags, nil},
	{"ldapdelete", ldapFlags, nil},
	{"ldapwhoami", ldapFlags, nil},
	{"ldappasswd", ldapFlags, nil},
	{"smbclient", smbFlags, nil},
	{"rpcclient", smbFlags, nil},
	{"rabbitmqctl", nil, []cliPositional{{starts: func(a string) bool { return a == "add_user" || a == "change_password" }, nth: 2}}},
	{"htpasswd", nil, []cliPositional{{starts: func(a string) bool { return len(a) > 1 && a[0] == '-' && strings.IndexByte(a, 'b') > 0 }, nth: 3}}},
}

var (
	ldapFlags = []cliFlag{{flag: "-w", glued: true, split: true}}
	smbFlags  = []cliFlag{{flag: "-U", glued: true, split: true, sep: '%'}, {flag: "--user", split: true, sep: '%'}, {flag: "--user=", glued: true, sep: '%'}}
)

func (cliPasswordRule) wholeText() bool { return false }

func (cliPasswordRule) keywords() []string {
	var kws []string
	for _, c := range cliCommands {
		kws = append(kws, c.cmd)
	}
	return kws
}

func (cliPasswordRule) gate(s string, hs, he int) bool {
	found := false
	cliSecrets(s, hs, he, len(s), func(int, int) { found = true })
	return found
}

// find reads each command's arguments up to the next command found, so that
// a text of many commands is read once.
func (cliPasswordRule) find(s string, hits []hit, out *spans) {
	for i, h := range hits {
		limit := len(s)
		for _, next := range hits[i+1:] {
			if next.start > h.end+maxCommand {
				break // cliSecrets reads no further anyway
			}
			// The next command, not a name inside an argument
			// (".htpasswd", "api.cf.example").
			if next.start > h.end && commandBoundary(s[next.start-1]) {
				limit = next.start
				break
			}
		}
		cliSecrets(s, h.start, h.end, limit, func(start, end int) { out.add(start, end, "password") })
	}
}

// cliSecrets walks the arguments of the command named at s[hs:he], up to
// limit, and reports each password span.
func cliSecrets(s string, hs, he, limit int, report func(start, end int)) {
	if hs > 0 && !commandBoundary(s[hs-1]) {
		return
	}
	var flags []cliFlag
	var pos []cliPositional
	for _, c := range cliCommands {
		if strings.EqualFold(s[hs:he], c.cmd) {
			flags, pos = c.flags, c.pos
		}
	}
	login := false
	counting, words := -1, 0     // the positional rule counting, and its words so far
	p := runEnd(s, he, keyBytes) // mysqldump, mongosh, redis-cli…
	for limit = min(limit, he+maxCommand); p < limit; {
		for p < len(s) && space[s[p]] && s[p] != '\n' {
			p++
		}
		if p >= len(s) || strings.IndexByte("\n|;&", s[p]) >= 0 {
			return
		}
		ws, we := p, max(p+1, argEnd(s, p))
		arg := s[ws:we]
		login = login || arg == "login"
		switch {
		case counting < 0:
			for i, ps := range pos {
				if ps.starts(arg) {
					counting, words = i, 0
				}
			}
		case arg[0] != '-':
			if words++; words == pos[counting].nth {
				if vs, ve := unquote(s, ws, we); vs < ve && !isPlaceholder(s[vs:ve]) {
					report(vs, ve)
				}
				counting = -1
			}
		}
		for _, f := range flags {
			if f.login && !login {
				continue
			}
			if vs, ve, ok := flagValue(s, ws, we, f); ok {
				report(vs, ve)
				we = max(we, ve)
			}
		}
		p = we
	}
}

// maxCommand bounds how far past a command name its flags are looked for.
// gitleaks' curl rules still see a -u that follows a long request body.
const maxCommand = 1024

// commandBoundary reports whether a byte may precede a command name.
func commandBoundary(b byte) bool {
	return strings.IndexByte(" \t\n;|&(`'\"/$", b) >= 0
}

// argEnd returns the end of the shell word at p, honouring quotes.
func argEnd(s string, p int) int {
	var q byte
	for ; p < len(s); p++ {
		b := s[p]
		switch {
		case q != 0:
			if b == q {
				q = 0
			} else if b == '\n' {
				return p
			}
		case b == '"' || b == '\'':
			q = b
		case space[b] || b == '|' || b == ';' || b == '&':
			return p
		}
	}
	return p
}

// flagValue returns the secret span for flag f at the argument s[ws:we], if
// the argument is that flag with a value.
func flagValue(s string, ws, we int, f cliFlag) (int, int, bool) {
	arg := s[ws:we]
	var vs, ve int
	switch {
	case arg == f.flag && f.split:
		vs = skipBlanks(s, we)
		ve = argEnd(s, vs)
	case f.glued && len(arg) > len(f.flag) && strings.HasPrefix(arg, f.flag):
		vs, ve = ws+len(f.flag), we
	default:
		return 0, 0, false
	}
	vs, ve = unquote(s, vs, ve)
	if vs >= ve || s[vs] == '-' {
		return 0, 0, false
	}
	if sep := f.sep; f.colon || sep != 0 {
		if f.colon {
			sep = ':'
		}
		c := strings.IndexByte(s[vs:ve], sep)
		if c < 0 {
			return 0, 0, false
		}
		vs += c + 1
	}
	if isPlaceholder(s[vs:ve]) {
		return 0, 0, false
	}
	return vs, ve, true
}

// unquote narrows a quoted shell word to its content.
func unquote(s string, vs, ve int) (int, int) {
	if ve-vs >= 2 && (s[vs] == '"' || s[vs] == '\'') && s[ve-1] == s[vs] {
		return vs + 1, ve - 1
	}
	if ve-vs >= 1 && (s[vs] == '"' || s[vs] == '\'') {
		return vs + 1, ve
	}
	return vs, ve
}
