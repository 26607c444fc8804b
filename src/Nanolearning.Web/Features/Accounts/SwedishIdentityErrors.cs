using Microsoft.AspNetCore.Identity;

namespace Nanolearning.Web.Features.Accounts;

/// <summary>Identity's messages in plain Swedish, for the few a user can meet.</summary>
public sealed class SwedishIdentityErrors : IdentityErrorDescriber
{
    public override IdentityError PasswordTooShort(int length) =>
        new() { Code = nameof(PasswordTooShort), Description = $"Lösenordet behöver vara minst {length} tecken långt. Ett långt lösenord av flera ord är både säkert och lätt att minnas." };

    public override IdentityError PasswordMismatch() =>
        new() { Code = nameof(PasswordMismatch), Description = "Fel lösenord." };

    public override IdentityError DuplicateEmail(string email) =>
        new() { Code = nameof(DuplicateEmail), Description = $"E-postadressen {email} används redan." };

    public override IdentityError DuplicateUserName(string userName) =>
        new() { Code = nameof(DuplicateUserName), Description = $"Användarnamnet {userName} används redan." };

    public override IdentityError InvalidEmail(string? email) =>
        new() { Code = nameof(InvalidEmail), Description = $"E-postadressen {email} ser inte ut att vara giltig." };

    public override IdentityError InvalidToken() =>
        new() { Code = nameof(InvalidToken), Description = NewPasswordModel.InvalidLink };
}
