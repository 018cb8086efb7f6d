"""Citizens' voice: opinions, supervision reports and questions, answered in public and on time."""
