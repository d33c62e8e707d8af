/** The sign-in page: `POST /api/auth/login`, the token kept for this tab only. */
import { signIn } from '../../shared/api';
import { showError } from '../../shared/errors';
import { h, mount } from '../../shared/dom';
import { t } from '../../shared/i18n';

/** Renders the sign-in form; `done` runs once signed in. */
export function renderLogin(main: HTMLElement, done: () => void): void {
  const username = h('input', { id: 'username', name: 'username', autocomplete: 'username', required: true });
  const password = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const message = h('p', { class: 'form-error', role: 'alert', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('login.submit'));
  const form = h(
    'form',
    { class: 'login card', 'aria-labelledby': 'login-heading' },
    h('h1', { id: 'login-heading' }, t('login.heading')),
    h('p', { class: 'lead' }, t('login.lead')),
    h('label', { for: 'username' }, t('login.username')),
    username,
    h('label', { for: 'password' }, t('login.password')),
    password,
    message,
    submit,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    message.textContent = '';
    submit.disabled = true;
    try {
      await signIn(username.value.trim(), password.value);
      done();
    } catch (error) {
      showError(message, error, 'login', (detail) => t('login.failed', { detail }));
      submit.disabled = false;
      password.select();
    }
  });
  mount(main, form, h('p', { class: 'login-public' }, h('a', { href: '#/public' }, t('public.link'))));
  username.focus();
}
