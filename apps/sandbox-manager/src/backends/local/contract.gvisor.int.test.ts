// The sandbox contract for the local backend under the gvisor isolation driver.
import { describeBackendContract } from '../../testing/backend-contract';
import { describeWithDriver } from '../../testing/drivers';
import { localHarness } from '../../testing/local-harness';

describeWithDriver('gvisor', 'local backend (gvisor)', () => {
  describeBackendContract('local/gvisor', () => localHarness('gvisor'));
});
