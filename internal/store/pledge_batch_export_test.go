package store

import "context"

// HoldSignaturesForTest makes SignPledge calls queue as they do behind a
// writer busy with a batch, until release is called; release writes what
// has queued, in batches as the writer takes them. Call it while no
// signature is being written.
func HoldSignaturesForTest(s *Store) (release func()) {
	b := &s.pledges
	b.mu.Lock()
	b.writing = true
	b.mu.Unlock()
	return func() { go s.drainSignatures() }
}

// QueuedSignaturesForTest is how many SignPledge calls wait for a batch.
func QueuedSignaturesForTest(s *Store) int {
	b := &s.pledges
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.queue)
}

// ExecForTest runs a statement on the writer connection (a test that makes
// the database refuse a row).
func ExecForTest(s *Store, query string) error {
	_, err := s.w.ExecContext(context.Background(), query)
	return err
}
