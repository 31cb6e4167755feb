#include "app/ProjectFile.h"

#include <QFileInfo>

#include <algorithm>

#include "core/FileIO.h"
#include "core/Json.h"
#include "core/NoteSequenceJson.h"

namespace toccata::app {

namespace {

core::Result<ProjectData> fail(const QString& name, const QString& what) {
    return core::Result<ProjectData>::failure((name + ": " + what).toStdString());
}

}  // namespace

std::string ProjectFile::toJson(const ProjectData& data) {
    core::JsonValue root = core::JsonValue::object();
    root.set("format", kProjectFormat);
    root.set("version", kProjectVersion);
    if (!data.originalPath.isEmpty()) root.set("originalPath", data.originalPath.toStdString());
    core::JsonValue tracks = core::JsonValue::array();
    for (const TrackState& t : data.tracks) {
        core::JsonValue item = core::JsonValue::object();
        item.set("instrument", t.instrument);
        if (t.colour.isValid()) item.set("colour", t.colour.name().toStdString());
        item.set("muted", t.muted);
        item.set("soloed", t.soloed);
        item.set("program", t.program);
        item.set("isDrum", t.isDrum);
        tracks.push(std::move(item));
    }
    root.set("tracks", std::move(tracks));
    root.set("sequence", core::noteSequenceToJson(data.sequence));
    return root.dump(1) + "\n";
}

core::Result<ProjectData> ProjectFile::fromJson(const std::string& text, const QString& name) {
    auto parsed = core::JsonValue::parse(text);
    if (!parsed)
        return fail(name, "not a valid project file (" +
                              QString::fromStdString(parsed.errorMessage()) + ")");
    const core::JsonValue& root = *parsed;
    const core::JsonValue* format = root.isObject() ? root.find("format") : nullptr;
    if (!format || !format->isString() || format->asString() != kProjectFormat)
        return fail(
            name, QString("not a Toccata project (\"format\" must be \"%1\")").arg(kProjectFormat));
    const core::JsonValue* version = root.find("version");
    if (!version || !version->isInteger() || version->asInt() < 1)
        return fail(name, "the project has no valid \"version\"");
    if (version->asInt() > kProjectVersion)
        return fail(name, QString("the project was written by a newer Toccata (format version "
                                  "%1; this version reads up to %2). Please update Toccata.")
                              .arg(version->asInt())
                              .arg(kProjectVersion));
    const core::JsonValue* seqJson = root.find("sequence");
    if (!seqJson || !seqJson->isObject()) return fail(name, "the project has no \"sequence\"");
    auto seq = core::noteSequenceFromJson(*seqJson);
    if (!seq) return fail(name, QString::fromStdString(seq.errorMessage()));
    ProjectData data;
    data.sequence = std::move(seq).value();
    if (const core::JsonValue* original = root.find("originalPath");
        original && original->isString())
        data.originalPath = QString::fromStdString(original->asString());
    if (const core::JsonValue* tracks = root.find("tracks")) {
        if (!tracks->isArray()) return fail(name, "\"tracks\" must be an array");
        for (size_t i = 0; i < tracks->items().size(); ++i) {
            const core::JsonValue& item = tracks->items()[i];
            const core::JsonValue* instrument = item.isObject() ? item.find("instrument") : nullptr;
            if (!instrument || !instrument->isInteger())
                return fail(name, QString("tracks[%1].instrument must be an integer").arg(i));
            TrackState t;
            t.instrument = static_cast<int>(instrument->asInt());
            if (const core::JsonValue* c = item.find("colour"); c && c->isString())
                t.colour = QColor(QString::fromStdString(c->asString()));
            if (const core::JsonValue* m = item.find("muted"); m && m->isBool())
                t.muted = m->asBool();
            if (const core::JsonValue* s = item.find("soloed"); s && s->isBool())
                t.soloed = s->asBool();
            if (const core::JsonValue* p = item.find("program"); p && p->isInteger())
                t.program = std::clamp(static_cast<int>(p->asInt()), 0, 127);
            if (const core::JsonValue* d = item.find("isDrum"); d && d->isBool())
                t.isDrum = d->asBool();
            data.tracks.push_back(t);
        }
    }
    return data;
}

core::Result<ProjectData> ProjectFile::read(const QString& path) {
    auto bytes = core::readFileBytes(path.toStdString());
    if (!bytes) return core::Result<ProjectData>(bytes.error());
    return fromJson(*bytes, path);
}

core::Status ProjectFile::write(const ProjectData& data, const QString& path) {
    return core::writeFileAtomic(path.toStdString(), toJson(data));
}

bool ProjectFile::isProjectPath(const QString& path) {
    return QFileInfo(path).suffix().compare(kProjectSuffix, Qt::CaseInsensitive) == 0;
}

}  // namespace toccata::app
