// Package netra holds Netra's domain vocabulary: the types that describe
// governments (tenants), their organisation units, employees, users, roles and
// the audit log, together with their validation rules and pure functions.
//
// Netra is the system an Indonesian government uses to keep its civil servants
// (ASN, aparatur sipil negara) politically neutral around elections. This
// package imports nothing from the rest of the project; the store, the web
// server and the command line build on it.
package netra

// Version is the program version; the build may override it with -ldflags.
var Version = "0.1.0-dev"
