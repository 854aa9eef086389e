// The sandbox contract for the local backend under the bwrap isolation driver.
import { describeBackendContract } from '../../testing/backend-contract';
import { describeWithDriver } from '../../testing/drivers';
import { localHarness } from '../../testing/local-harness';

describeWithDriver('bwrap', 'local backend (bwrap)', () => {
  describeBackendContract('local/bwrap', () => localHarness('bwrap'));
});
