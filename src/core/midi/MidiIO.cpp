#include "core/midi/MidiIO.h"

#include "core/midi/MidiConversion.h"
#include "core/midi/SmfReader.h"
#include "core/midi/SmfWriter.h"

namespace toccata::core {

Result<NoteSequence> readMidiFile(const std::string& path) {
    Result<MidiFile> file = SmfReader::readFile(path);
    if (!file) return file.error();
    return midiFileToNoteSequence(file.value(), path);
}

Result<NoteSequence> parseMidiBytes(const std::vector<uint8_t>& bytes,
                                    const std::string& nameForErrors) {
    Result<MidiFile> file = SmfReader::parse(bytes, nameForErrors);
    if (!file) return file.error();
    return midiFileToNoteSequence(file.value(), nameForErrors);
}

Status writeMidiFile(const NoteSequence& sequence, const std::string& path) {
    return SmfWriter::writeFile(noteSequenceToMidiFile(sequence), path);
}

std::vector<uint8_t> midiBytesFromSequence(const NoteSequence& sequence) {
    return SmfWriter::write(noteSequenceToMidiFile(sequence));
}

}  // namespace toccata::core
