import { i18n } from '#i18n';
import { TextField } from '../TextField';
import type { KindFields } from './types';

interface AccountState {
  userId: string;
  watchTokens: boolean;
}

/** A new-api account's user id and whether its tokens are watched (shared/spec/new-api.md §4, new-api-accounts.md §A). */
export const accountFields: KindFields<AccountState> = {
  // Watching tokens is on by default when adding.
  init: (initial) => ({ userId: initial?.userId?.toString() ?? '', watchTokens: initial ? !!initial.watchTokens : true }),
  check(state) {
    const id = Number(state.userId.trim());
    if (!(Number.isInteger(id) && id > 0)) return { draft: {}, found: { userId: i18n.t('invalidUserId') } };
    return { draft: { userId: id, watchTokens: state.watchTokens }, found: {} };
  },
  problemKeys: ['userId'],
  View: ({ state, onState, problems }) => (
    <>
      <TextField
        id="key-user"
        name="userId"
        inputMode="numeric"
        label={i18n.t('fieldUserId')}
        value={state.userId}
        onValue={(userId) => onState({ ...state, userId }, ['userId'])}
        hint={i18n.t('fieldUserIdHint')}
        problem={problems.userId}
      />
      <label class="check">
        <input
          type="checkbox"
          checked={state.watchTokens}
          onChange={(e) => onState({ ...state, watchTokens: e.currentTarget.checked }, [])}
        />{' '}
        {i18n.t('watchTokens')}
      </label>
    </>
  ),
};
