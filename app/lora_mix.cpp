#include "app/lora_mix.h"

#include <QStringList>

namespace easel::app {

namespace {

QString number(double v) { return QString::number(v, 'g', 4); }

} // namespace

LoRAMix::LoRAMix(QObject* parent)
    : QObject(parent)
{
}

int LoRAMix::indexOf(const QString& name) const
{
    for (int i = 0; i < m_entries.size(); ++i)
        if (m_entries[i].name.compare(name, Qt::CaseInsensitive) == 0)
            return i;
    return -1;
}

int LoRAMix::add(const LoRAMixEntry& entry)
{
    // Merging one LoRA twice only doubles its weight; A1111 users expect one row per LoRA.
    const int existing = indexOf(entry.name);
    if (existing >= 0)
        return existing;
    m_entries.push_back(entry);
    Q_EMIT entriesChanged();
    return static_cast<int>(m_entries.size()) - 1;
}

void LoRAMix::remove(int index)
{
    if (!valid(index))
        return;
    m_entries.removeAt(index);
    Q_EMIT entriesChanged();
}

void LoRAMix::clear()
{
    if (m_entries.isEmpty())
        return;
    m_entries.clear();
    Q_EMIT entriesChanged();
}

void LoRAMix::setEnabled(int index, bool enabled)
{
    if (!valid(index) || m_entries[index].enabled == enabled)
        return;
    m_entries[index].enabled = enabled;
    Q_EMIT entryChanged(index);
}

void LoRAMix::setWeight(int index, double weight)
{
    if (!valid(index) || (m_entries[index].unetWeight == weight && m_entries[index].textEncoderWeight == weight))
        return;
    m_entries[index].unetWeight = weight;
    m_entries[index].textEncoderWeight = weight;
    Q_EMIT entryChanged(index);
}

void LoRAMix::setUNetWeight(int index, double weight)
{
    if (!valid(index) || m_entries[index].unetWeight == weight)
        return;
    m_entries[index].unetWeight = weight;
    Q_EMIT entryChanged(index);
}

void LoRAMix::setTextEncoderWeight(int index, double weight)
{
    if (!valid(index) || m_entries[index].textEncoderWeight == weight)
        return;
    m_entries[index].textEncoderWeight = weight;
    Q_EMIT entryChanged(index);
}

std::vector<api::LoRAEntry> LoRAMix::requestEntries() const
{
    std::vector<api::LoRAEntry> out;
    out.reserve(static_cast<size_t>(m_entries.size()));
    for (const LoRAMixEntry& e : m_entries)
        out.push_back({e.name.toStdString(), e.unetWeight, e.textEncoderWeight, e.enabled});
    return out;
}

QString LoRAMix::asPromptTags() const
{
    QStringList tags;
    for (const LoRAMixEntry& e : m_entries) {
        if (!e.enabled)
            continue;
        if (e.unetWeight == e.textEncoderWeight)
            tags << QStringLiteral("<lora:%1:%2>").arg(e.name, number(e.unetWeight));
        else
            tags << QStringLiteral("<lora:%1:te=%2:unet=%3>").arg(e.name, number(e.textEncoderWeight), number(e.unetWeight));
    }
    return tags.join(QLatin1Char(' '));
}

} // namespace easel::app
