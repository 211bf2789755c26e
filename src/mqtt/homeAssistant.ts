/**
 * Home Assistant MQTT discovery: retained configs under `<discoveryPrefix>/<component>/<node>/<object>/config`
 * that point at the device's own `state` and `status` topics, so Home Assistant shows signal,
 * queue depth, link states and location without any extra publishing by the agent.
 * https://www.home-assistant.io/integrations/mqtt/#mqtt-discovery
 */
import type { DeviceTopics } from './topics.js';

export interface DiscoveryMessage {
  readonly topic: string;
  readonly payload: Readonly<Record<string, unknown>>;
}

interface EntitySpec {
  readonly component: 'sensor' | 'device_tracker';
  readonly object: string;
  readonly name: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

const entities: readonly EntitySpec[] = [
  {
    component: 'sensor',
    object: 'signal',
    name: 'Signal',
    fields: { device_class: 'signal_strength', unit_of_measurement: 'dBm', state_class: 'measurement', value_template: '{{ value_json.modem.signalDbm }}' },
  },
  {
    component: 'sensor',
    object: 'queue_depth',
    name: 'Queue depth',
    fields: { state_class: 'measurement', unit_of_measurement: 'messages', value_template: '{{ value_json.outbox.byState.queued + value_json.outbox.byState.sending }}' },
  },
  { component: 'sensor', object: 'smpp_link', name: 'SMPP link', fields: { value_template: '{{ value_json.smpp.state }}', icon: 'mdi:lan-connect' } },
  { component: 'sensor', object: 'modem_registration', name: 'Modem registration', fields: { value_template: '{{ value_json.modem.registration }}', icon: 'mdi:signal-cellular-3' } },
  {
    component: 'device_tracker',
    object: 'location',
    name: 'Location',
    fields: {
      source_type: 'gps',
      json_attributes_topic: '',
      json_attributes_template:
        "{% set l = value_json.lastLocation %}{{ {'latitude': l.lat, 'longitude': l.lon, 'gps_accuracy': l.accuracyM or 0} | tojson if l else '{}' }}",
    },
  },
];

export function homeAssistantDiscovery(topics: DeviceTopics, discoveryPrefix: string, version: string): DiscoveryMessage[] {
  // Node ids allow only [a-zA-Z0-9_-]; device ids may also hold '.'.
  const node = `edge_sms_${topics.deviceId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const device = { identifiers: [node], name: `edge-sms ${topics.deviceId}`, manufacturer: 'edge-sms-agent', model: 'edge-sms-agent', sw_version: version };
  return entities.map((entity) => ({
    topic: `${discoveryPrefix}/${entity.component}/${node}/${entity.object}/config`,
    payload: {
      name: entity.name,
      unique_id: `${node}_${entity.object}`,
      object_id: `${node}_${entity.object}`,
      availability_topic: topics.status,
      payload_available: 'online',
      payload_not_available: 'offline',
      device,
      ...(entity.component === 'sensor' ? { state_topic: topics.state } : {}),
      ...entity.fields,
      ...('json_attributes_topic' in entity.fields ? { json_attributes_topic: topics.state } : {}),
    },
  }));
}
