package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/pdf"
	"github.com/netra-id/netra/internal/signlog"
	"github.com/netra-id/netra/internal/web"
)

// errPledgeInvalid is returned when a pledge bundle does not verify, so
// that the command exits non-zero.
var errPledgeInvalid = errors.New("the pledge does not verify")

const pledgeUsage = `Usage:
  netra pledge verify --bundle FILE|--pdf FILE --key FILE|URL|KEY... [--checkpoint FILE|URL] [--nip NIP] [--campaign ID] [--code CODE]`

func cmdPledge(ctx context.Context, args []string, getenv env, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
		args = []string{"verify", "-h"}
	}
	if len(args) == 0 {
		fmt.Fprintln(stderr, pledgeUsage)
		return errUsage
	}
	switch args[0] {
	case "verify":
		return pledgeVerify(ctx, args[1:], stdout, stderr)
	}
	fmt.Fprintln(stderr, pledgeUsage)
	return errUsage
}

// pledgeVerify checks a pledge bundle (netra.PledgeBundle, the JSON a
// certificate embeds; --pdf reads it out of the certificate itself)
// offline: with the government's published verifier keys and a
// checkpoint, and no database. It reads no NETRA_* setting.
func pledgeVerify(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("pledge verify", "pledge verify --bundle FILE|--pdf FILE --key FILE|URL|KEY... [--checkpoint FILE|URL] [--nip NIP] [--campaign ID] [--code CODE]", stderr)
	bundleFile := fs.String("bundle", "", "the pledge bundle: the JSON file a certificate carries (format "+netra.PledgeBundleFormat+")")
	pdfFile := fs.String("pdf", "", "a pledge certificate (PDF, a file or URL): the bundle is read from the file it embeds ("+web.PledgeBundleAttachment+")")
	var keyArgs listFlag
	fs.Var(&keyArgs, "key", "the government's verifier keys: a file of keys one a line (as /log/ikrar/CODE/key serves them), a URL, or a key itself (repeatable); pin a copy you got from the government, not from the bundle's sender")
	cpArg := fs.String("checkpoint", "", "a signed checkpoint of the government's log (a file or URL) to check the bundle against (default: the checkpoint inside the bundle, itself checked against the keys)")
	nip := fs.String("nip", "", "the NIP the certificate claims (optional: a genuine record of someone else is then reported as replayed)")
	campaign := fs.Int64("campaign", 0, "the campaign id the certificate claims (optional)")
	code := fs.String("code", "", "the verification code printed on the certificate (optional)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if (*bundleFile == "") == (*pdfFile == "") || len(keyArgs) == 0 {
		fmt.Fprintln(stderr, "netra pledge verify: --key and one of --bundle or --pdf are required")
		return errUsage
	}
	var raw []byte
	source := *bundleFile
	if *pdfFile != "" {
		source = *pdfFile
		doc, err := readSource(ctx, *pdfFile)
		if err != nil {
			return fmt.Errorf("--pdf: %w", err)
		}
		if err := pdf.Sniff(bytes.NewReader(doc)); err != nil {
			var ue *netra.UserError
			if !errors.As(err, &ue) {
				return fmt.Errorf("--pdf: %w", err)
			}
			fmt.Fprintf(stdout, "PLEDGE INVALID (%s): %s: %s\n", signlog.Malformed, *pdfFile, ue.Msg.EN)
			return errPledgeInvalid
		}
		if raw, err = pdf.ReadAttachment(doc, web.PledgeBundleAttachment); err != nil {
			fmt.Fprintf(stdout, "PLEDGE INVALID (%s): %s holds no pledge bundle (%s): not a Netra certificate, or the file was changed or damaged\n",
				signlog.Malformed, *pdfFile, web.PledgeBundleAttachment)
			return errPledgeInvalid
		}
	} else {
		var err error
		if raw, err = readSource(ctx, *bundleFile); err != nil {
			return fmt.Errorf("--bundle: %w", err)
		}
	}
	var keys []string
	for _, k := range keyArgs {
		b, err := readSource(ctx, k)
		if err != nil && strings.Count(k, "+") >= 2 && !isURL(k) {
			keys = append(keys, k) // the key itself
			continue
		} else if err != nil {
			return fmt.Errorf("--key %s: %w", k, err)
		}
		for _, l := range strings.Split(string(b), "\n") {
			if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
				keys = append(keys, l)
			}
		}
	}
	var checkpoint []byte
	if *cpArg != "" {
		var err error
		if checkpoint, err = readSource(ctx, *cpArg); err != nil {
			return fmt.Errorf("--checkpoint: %w", err)
		}
	}
	var b netra.PledgeBundle
	if err := json.Unmarshal(raw, &b); err != nil {
		fmt.Fprintf(stdout, "PLEDGE INVALID (%s): %s is not a pledge bundle: %v\n", signlog.Malformed, source, err)
		return errPledgeInvalid
	}
	claim := netra.PledgeClaim{NIP: strings.TrimSpace(*nip), CampaignID: *campaign, Code: strings.TrimSpace(*code)}
	c, err := signlog.VerifyPledgeBundle(&b, keys, checkpoint, claim)
	var p *signlog.Problem
	if errors.As(err, &p) {
		fmt.Fprintf(stdout, "PLEDGE INVALID (%s): %s\n", p.Reason, p.Detail)
		return errPledgeInvalid
	} else if err != nil {
		return err
	}
	r := c.Record
	at := func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05 UTC") }
	fmt.Fprintln(stdout, "PLEDGE VALID")
	fmt.Fprintf(stdout, "  code:        %s\n", netra.FormatPledgeCode(c.Code))
	fmt.Fprintf(stdout, "  government:  %s (%s)\n", r.TenantName, r.TenantCode)
	fmt.Fprintf(stdout, "  campaign:    %s (id %d)\n", r.CampaignTitle, r.CampaignID)
	fmt.Fprintf(stdout, "  text:        %s, template %d version %d, sha256 %s\n", r.TemplateTitle, r.TemplateID, r.TemplateVersion, r.TextSHA256)
	fmt.Fprintf(stdout, "  signer:      %s, NIP %s\n", r.Name, r.NIP)
	fmt.Fprintf(stdout, "  unit:        %s (id %d); position: %s (%s)\n", r.UnitName, r.UnitID, r.PositionName, r.PositionType)
	fmt.Fprintf(stdout, "  signed:      %s, %s, %s\n", at(r.SignedAt), r.Method, r.Auth)
	if r.Method != netra.PledgeOnline {
		fmt.Fprintf(stdout, "  on paper:    dated %s, recorded by %s (id %d), scan sha256 %s\n", r.SignedOn.Format(time.DateOnly), r.OperatorLabel, r.OperatorID, r.ScanSHA256)
	}
	if r.Method == netra.PledgeAtCeremony {
		fmt.Fprintf(stdout, "  ceremony:    %d, %s\n", r.CeremonyID, r.CeremonyPlace)
	}
	fmt.Fprintf(stdout, "  key:         %s\n", c.KeyID)
	fmt.Fprintf(stdout, "  log:         record %d of %d in %s, checkpoint of %s\n", b.LeafIndex+1, c.Checkpoint.Size, c.Checkpoint.Origin, at(c.Checkpoint.Time))
	where := "the government's verification page"
	if b.VerifyURL != "" {
		where = b.VerifyURL
	}
	fmt.Fprintf(stdout, "Whether it was revoked since is not part of an offline check: see %s.\n", where)
	return nil
}
