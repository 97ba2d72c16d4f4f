/**
 * Browser code: the bar above GraphiQL where the developer picks the auth mode the page calls the API in, among
 * the API's modes, and types what that mode needs (a user to sign in, a token, a role). It edits a
 * PageAuthorization, which the fetcher asks for each request's headers.
 */
import { createElement, useEffect, useState, type ChangeEvent, type ReactNode } from 'react';
import type { AuthenticationType } from '../template/cloudAssembly.ts';
import { MODE_LABELS, type AuthChoice, type PageAuthorization } from './pageAuthorization.ts';

export function AuthBar(props: { authorization: PageAuthorization; apiKey: string }): ReactNode {
  const { authorization } = props;
  const [choice, setChoice] = useState(authorization.choice);
  const [status, setStatus] = useState(() => signedInText(authorization));
  useEffect(() => authorization.onSignIn(() => setStatus(signedInText(authorization))), [authorization]);
  const change = (update: Partial<AuthChoice>) => {
    authorization.choose(update);
    setChoice(authorization.choice);
    setStatus(signedInText(authorization));
  };
  const text = (field: 'username' | 'groups' | 'lambdaToken' | 'oidcToken', label: string, placeholder: string, width = 16) =>
    createElement(
      'label',
      null,
      `${label} `,
      createElement('input', {
        name: field,
        value: choice[field],
        placeholder,
        size: width,
        spellCheck: false,
        onChange: (event: ChangeEvent) => change({ [field]: valueOf(event) }),
      }),
    );

  const fields = (): ReactNode[] => {
    switch (choice.mode) {
      case 'API_KEY':
        return [createElement('span', { key: 'key' }, 'x-api-key ', createElement('code', null, props.apiKey))];
      case 'AMAZON_COGNITO_USER_POOLS':
        return [
          createElement('span', { key: 'user' }, text('username', 'user', 'alice')),
          createElement('span', { key: 'groups' }, text('groups', 'groups', 'admins, staff')),
          createElement(
            'button',
            {
              key: 'sign-in',
              type: 'button',
              onClick: () => {
                setStatus('signing in…');
                authorization.signIn().then(
                  () => undefined, // onSignIn shows it
                  (error: unknown) => setStatus(`sign-in refused: ${(error as Error).message}`),
                );
              },
            },
            'Sign in',
          ),
          createElement('span', { key: 'status', className: 'appsync-auth-status', 'data-auth-status': '' }, status),
        ];
      case 'AWS_LAMBDA':
        return [createElement('span', { key: 'token' }, text('lambdaToken', 'Authorization', 'the token your authorizer expects', 32))];
      case 'OPENID_CONNECT':
        return [createElement('span', { key: 'token' }, text('oidcToken', 'Authorization', "a JWT of the API's OIDC provider", 40))];
      case 'AWS_IAM':
        return [
          createElement(
            'label',
            { key: 'role' },
            'role ',
            createElement(
              'select',
              {
                name: 'role',
                value: choice.role,
                onChange: (event: ChangeEvent) => change({ role: valueOf(event) }),
              },
              authorization.config.roles.map((role) =>
                createElement(
                  'option',
                  { key: role.name, value: role.name },
                  role.callsApi ? role.name : `${role.name} (may call no field)`,
                ),
              ),
            ),
          ),
          createElement('span', { key: 'note', className: 'appsync-auth-status' }, 'requests signed (SigV4) with its local credentials'),
        ];
      default:
        return [];
    }
  };

  return createElement(
    'div',
    { className: 'appsync-auth' },
    createElement(
      'label',
      null,
      'Authorization ',
      createElement(
        'select',
        {
          name: 'auth-mode',
          value: choice.mode,
          onChange: (event: ChangeEvent) => change({ mode: valueOf(event) as AuthenticationType }),
        },
        authorization.config.modes.map((mode, index) =>
          createElement('option', { key: mode, value: mode }, `${MODE_LABELS[mode]} (${mode}${index === 0 ? ', default' : ''})`),
        ),
      ),
    ),
    ...fields(),
  );
}

/** An input's or select's value: React's DOM element types are stubs here (no lib "dom": see README, Files). */
function valueOf(event: ChangeEvent): string {
  return (event.target as unknown as { value: string }).value;
}

function signedInText(authorization: PageAuthorization): string {
  const user = authorization.user;
  if (!user) return 'signed in on the first request, or with Sign in';
  return `signed in as ${user.username}${user.groups.length > 0 ? ` (groups ${user.groups.join(', ')})` : ''}, sub ${user.sub}`;
}
