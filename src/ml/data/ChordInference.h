// Chord symbols read off a track of block chords, for chord-conditioned (improv) training on
// corpora that store the accompaniment as notes rather than as chord-symbol annotations (the
// Nottingham set keeps each tune's chords in a separate MIDI file). The sounding pitch
// classes are matched against the chord kinds Magenta's chord_symbols_lib knows, trying the
// bass note as the root first. [any]
#pragma once

#include <string>
#include <vector>

#include "core/NoteSequence.h"

namespace toccata::ml {

/// The chord figure of a set of MIDI pitches (order and octaves do not matter; the lowest is
/// the bass): "G", "Dm", "D7", "Bdim", "C/E", ...; "N.C." when no chord kind fits (fewer than
/// two pitch classes, or a cluster). Every figure returned parses with ChordSymbol::parse.
std::string chordFigureForPitches(const std::vector<int>& pitches);

/// Chord-symbol annotations (TextAnnotation::kChordSymbol, unquantized times) for every change
/// in the set of sounding non-drum pitches of `chords`; silences of at least
/// `minSilenceSeconds` become "N.C.", shorter ones keep the chord; repeats are merged.
std::vector<core::TextAnnotation> inferChordAnnotations(const core::NoteSequence& chords,
                                                        double minSilenceSeconds = 0.5);

}  // namespace toccata::ml
