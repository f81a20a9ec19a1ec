package redact

// ownRules returns this package's rules in priority order: when spans of
// several rules overlap, the earliest rule names the merged replacement. The
// most specific context comes first (a private key block, an Authorization
// header, a URL's password, a token's own shape), then the generic ones, then
// gitleaks' rules, which New appends.
//
// disabled holds marker ids to leave out; a rule kind that can report several
// ids (the assignment rule) is left out only when its main id is named.
func ownRules(disabled map[string]bool) []rule {
	type named struct {
		id string
		r  rule
	}
	list := []named{
		{"private-key", privateKeyRule{}},
		{"bearer-token", authHeaderRule{}},
		{"connection-string", urlCredentialRule{}},
	}
	for _, sh := range tokenShapes {
		list = append(list, named{sh.id, newTokenRule(sh)})
	}
	list = append(list,
		named{"jwt", jwtRule{}},
		named{"aws-secret-access-key", awsSecretRule{}},
		named{"password", cliPasswordRule{}},
		named{"password", assignmentRule{}},
	)
	var rules []rule
	for _, n := range list {
		if !disabled[n.id] {
			rules = append(rules, n.r)
		}
	}
	return rules
}
