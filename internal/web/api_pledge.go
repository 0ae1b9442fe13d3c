package web

import (
	"net/http"

	"github.com/netra-id/netra"
)

// apiPledgeSignature is a signature as the signer sees it after signing:
// its verification code and the public address that checks it.
type apiPledgeSignature struct {
	ID         int64  `json:"id"`
	CampaignID int64  `json:"campaign_id"`
	Method     string `json:"method"`
	Code       string `json:"code"`
	SignedAt   string `json:"signed_at"`
	VerifyURL  string `json:"verify_url"`
	KeyID      string `json:"key_id"`
	LeafIndex  int64  `json:"leaf_index"`
}

// signedAtFormat writes a signing time as the record does: UTC, to the
// millisecond.
const signedAtFormat = "2006-01-02T15:04:05.000Z"

// apiPledgeSign signs a campaign's pledge for the signed-in employee, who
// confirms the text by typing their name: 201 with the new signature, 200
// with the one made before when they had already signed. The answer comes
// once the signature is committed (the store writes concurrent signatures
// in one transaction), so an acknowledged signature survives a crash.
func (s *Server) apiPledgeSign(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in struct {
		Name string `json:"name"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	sig, isNew, err := s.store.SignPledgeCreated(r.Context(), id, in.Name)
	if err != nil {
		return err
	}
	out := apiPledgeSignature{ID: sig.ID, CampaignID: sig.CampaignID, Method: string(sig.Method), Code: netra.FormatPledgeCode(sig.Code),
		SignedAt: sig.SignedAt.UTC().Format(signedAtFormat), VerifyURL: netra.PledgeVerifyURL(s.baseURL, sig.Code), KeyID: sig.KeyID,
		LeafIndex: sig.LeafIndex}
	if isNew {
		return created(w, out.VerifyURL, out)
	}
	return writeJSON(w, http.StatusOK, out)
}
