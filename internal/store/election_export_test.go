package store

import "context"

// SeedElectionsForTest loads a calendar file in the shape of
// elections.json, as the seeding at start loads the shipped one.
func SeedElectionsForTest(s *Store, data []byte) error {
	return s.seedElectionsFrom(context.Background(), data)
}

// ShippedElectionsFile is the embedded calendar.
func ShippedElectionsFile() []byte { return append([]byte(nil), electionsFile...) }
