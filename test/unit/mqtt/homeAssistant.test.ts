import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DeviceTopics, homeAssistantDiscovery } from '../../../src/mqtt/index.js';

describe('Home Assistant discovery', () => {
  const messages = homeAssistantDiscovery(new DeviceTopics('edge-sms', 'pi.7'), 'homeassistant', '0.1.0');

  it('announces signal, queue depth, link states and a GPS device_tracker under one device', () => {
    assert.deepEqual(
      messages.map((m) => m.topic),
      [
        'homeassistant/sensor/edge_sms_pi_7/signal/config',
        'homeassistant/sensor/edge_sms_pi_7/queue_depth/config',
        'homeassistant/sensor/edge_sms_pi_7/smpp_link/config',
        'homeassistant/sensor/edge_sms_pi_7/modem_registration/config',
        'homeassistant/device_tracker/edge_sms_pi_7/location/config',
      ],
    );
    for (const { payload } of messages) {
      assert.equal(payload['availability_topic'], 'edge-sms/pi.7/status');
      assert.deepEqual((payload['device'] as { identifiers: string[] }).identifiers, ['edge_sms_pi_7']);
      assert.match(String(payload['unique_id']), /^edge_sms_pi_7_/);
    }
  });

  it('points sensors at the retained state topic with templates over its JSON', () => {
    const signal = messages[0]?.payload;
    assert.equal(signal?.['state_topic'], 'edge-sms/pi.7/state');
    assert.equal(signal?.['value_template'], '{{ value_json.modem.signalDbm }}');
    assert.equal(signal?.['unit_of_measurement'], 'dBm');
    const tracker = messages[4]?.payload;
    assert.equal(tracker?.['json_attributes_topic'], 'edge-sms/pi.7/state');
    assert.equal(tracker?.['source_type'], 'gps');
    assert.equal(tracker?.['state_topic'], undefined);
  });
});
