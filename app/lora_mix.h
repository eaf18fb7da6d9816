#pragma once
/// The LoRA panel's mix: which LoRAs, their UNet / text-encoder weights and whether each is on.
/// It becomes GenerationRequest::loras, the same field the engine merges prompt tags into, so a
/// mix entry and the equivalent `<lora:name:te=…:unet=…>` tag give the same image. GUI thread.

#include <QObject>
#include <QString>
#include <QVector>

#include <vector>

#include "engine/api/request.h"

namespace easel::app {

struct LoRAMixEntry {
    QString name;          ///< file stem (or alias): what the catalog resolves
    QString family;        ///< for the badge ("" = unknown)
    QString triggerWords;
    double unetWeight = 1.0;
    double textEncoderWeight = 1.0;
    bool enabled = true;
};

class LoRAMix : public QObject {
    Q_OBJECT
public:
    explicit LoRAMix(QObject* parent = nullptr);

    const QVector<LoRAMixEntry>& entries() const { return m_entries; }
    int size() const { return static_cast<int>(m_entries.size()); }
    int indexOf(const QString& name) const;

    /// Adds `entry` (a LoRA already in the mix is left as it is). Returns its index.
    int add(const LoRAMixEntry& entry);
    void remove(int index);
    void clear();
    void setEnabled(int index, bool enabled);
    /// One weight for both parts (the slider when TE/UNet are not split).
    void setWeight(int index, double weight);
    void setUNetWeight(int index, double weight);
    void setTextEncoderWeight(int index, double weight);

    /// The enabled and disabled entries as request entries (disabled ones stay `enabled = false`:
    /// the engine skips them, the queue still shows what was in the mix).
    std::vector<api::LoRAEntry> requestEntries() const;
    /// The mix as prompt tags (`<lora:a:0.8>`, or `<lora:a:te=0.5:unet=1>` when split), enabled only.
    QString asPromptTags() const;

Q_SIGNALS:
    /// Entries added or removed (rebuild the list).
    void entriesChanged();
    /// A weight or the enabled state of `index` changed.
    void entryChanged(int index);

private:
    bool valid(int index) const { return index >= 0 && index < m_entries.size(); }
    QVector<LoRAMixEntry> m_entries;
};

} // namespace easel::app
